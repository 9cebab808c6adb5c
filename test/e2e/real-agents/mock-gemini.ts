/**
 * A loopback mock of the Gemini API as Gemini CLI calls it through
 * GOOGLE_GEMINI_BASE_URL (`POST /v1beta/models/<model>:streamGenerateContent?alt=sse`
 * or `:generateContent`). A request offering the write_file tool, before any
 * functionResponse, gets one write_file call; after it, a closing text.
 * Requests without tools (the CLI's own side calls) get a short text.
 */

export interface MockGemini {
  url: string;
  readonly requests: string[];
  stop(): Promise<void>;
}

type Json = Record<string, unknown>;

function toolNames(body: Json): string[] {
  const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  return tools
    .flatMap((t) => (Array.isArray(t.functionDeclarations) ? (t.functionDeclarations as Json[]) : []))
    .map((f) => String(f.name));
}

function answered(body: Json): boolean {
  const contents = Array.isArray(body.contents) ? (body.contents as Json[]) : [];
  return contents.some(
    (c) => Array.isArray(c.parts) && (c.parts as Json[]).some((p) => p.functionResponse !== undefined),
  );
}

export function startMockGemini(options: { writeFile: string; content: string }): MockGemini {
  const requests: string[] = [];
  const usageMetadata = { promptTokenCount: 100, candidatesTokenCount: 20, totalTokenCount: 120 };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      requests.push(`${request.method} ${url.pathname}`);
      if (request.method !== "POST") return new Response("not found", { status: 404 });
      const body = (await request.json()) as Json;
      if (url.pathname.endsWith(":countTokens")) return Response.json({ totalTokens: 100 });
      const tools = toolNames(body);
      const parts =
        tools.includes("write_file") && !answered(body)
          ? [{ functionCall: { name: "write_file", args: { file_path: options.writeFile, content: options.content } } }]
          : [{ text: tools.length > 0 ? "Wrote the file." : '{"reasoning":"simple","model_choice":"flash"}' }];
      const chunk = {
        candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }],
        usageMetadata,
      };
      if (url.pathname.endsWith(":streamGenerateContent")) {
        return new Response(`data: ${JSON.stringify(chunk)}\n\n`, { headers: { "content-type": "text/event-stream" } });
      }
      return Response.json(chunk);
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    stop: async () => {
      server.stop(true);
    },
  };
}
