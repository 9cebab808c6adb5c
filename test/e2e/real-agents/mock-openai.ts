/**
 * A loopback mock of the OpenAI Responses API as the Codex CLI streams it
 * (`POST /v1/responses`, server-sent events: response.created,
 * response.output_item.done, response.completed with usage). The first turn
 * asks for one shell call that writes the story's file, using whichever shell
 * tool the CLI offers in its request; once the request carries that call's
 * output, the turn is a closing message.
 */

export interface MockOpenAi {
  url: string;
  readonly requests: number;
  /** The tool names the CLI offered, from its first request. */
  readonly tools: string[];
  stop(): Promise<void>;
}

type Json = Record<string, unknown>;

function sse(type: string, data: Json): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

function toolName(tool: Json): string {
  return String(tool.name ?? (tool.function as Json | undefined)?.name ?? tool.type ?? "");
}

/** The call that writes the file, in the argument shape of the shell tool offered. */
function shellCall(tools: string[], command: string): { name: string; arguments: string } | undefined {
  if (tools.includes("shell")) return { name: "shell", arguments: JSON.stringify({ command: ["sh", "-c", command] }) };
  if (tools.includes("shell_command")) return { name: "shell_command", arguments: JSON.stringify({ command }) };
  if (tools.includes("exec_command")) return { name: "exec_command", arguments: JSON.stringify({ cmd: command }) };
  return undefined;
}

export function startMockOpenAi(options: { writeFile: string; content: string }): MockOpenAi {
  let requests = 0;
  let offered: string[] = [];
  const usage = {
    input_tokens: 120,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 30,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 150,
  };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      if (request.method !== "POST" || !path.endsWith("/responses")) return new Response("not found", { status: 404 });
      requests += 1;
      const body = (await request.json()) as { tools?: Json[]; input?: Json[] };
      const tools = (body.tools ?? []).map(toolName);
      if (offered.length === 0) offered = tools;
      const answered = (body.input ?? []).some((item) => item.type === "function_call_output");
      const id = `resp_mock_${requests}`;
      const call = answered
        ? undefined
        : shellCall(tools, `printf '${options.content.replace(/\n/g, "\\n")}' > ${options.writeFile}`);
      const item = call
        ? {
            type: "function_call",
            id: `fc_${requests}`,
            call_id: `call_${requests}`,
            name: call.name,
            arguments: call.arguments,
            status: "completed",
          }
        : {
            type: "message",
            id: `msg_${requests}`,
            role: "assistant",
            status: "completed",
            content: [
              {
                type: "output_text",
                text: call === undefined && !answered ? `no shell tool among ${tools.join(",")}` : "Wrote the file.",
                annotations: [],
              },
            ],
          };
      const events = [
        sse("response.created", { response: { id, status: "in_progress" } }),
        sse("response.output_item.added", { output_index: 0, item }),
        sse("response.output_item.done", { output_index: 0, item }),
        sse("response.completed", { response: { id, status: "completed", usage, output: [item] } }),
      ];
      return new Response(events.join(""), { headers: { "content-type": "text/event-stream" } });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    get requests() {
      return requests;
    },
    get tools() {
      return offered;
    },
    stop: async () => {
      server.stop(true);
    },
  };
}
