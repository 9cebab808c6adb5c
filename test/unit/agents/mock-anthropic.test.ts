import { afterEach, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type MockAnthropic, type MockScenario, type MockTurn, startMockAnthropic } from "../../helpers/mock-anthropic";

let mock: MockAnthropic | undefined;
afterEach(async () => {
  await mock?.stop();
  mock = undefined;
});

const TOOLS = [{ name: "Write", input_schema: { type: "object" } }];
const SYSTEM = [
  { type: "text", text: "You are Claude.\nPrimary working directory: /work/repo\nIs a git repository: true" },
];

function post(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(`${mock?.url}/v1/messages?beta=true`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-claude-code-session-id": "s-1", ...headers },
    body: JSON.stringify({ model: "claude-sonnet-4-5", system: SYSTEM, tools: TOOLS, max_tokens: 100, ...body }),
  });
}

const userTurn = { role: "user", content: [{ type: "text", text: "do it" }] };
const afterOneTool = [
  userTurn,
  { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Write", input: {} }] },
  { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "File created successfully at: x" }] },
];

interface Message {
  type: string;
  content: Array<{ type: string; text?: string }>;
  usage: { input_tokens: number };
  error: { type: string };
}
const json = async (response: Response | Promise<Response>) => (await (await response).json()) as Message;

function start(scenario: MockScenario, scenarios: Record<string, MockScenario> = {}) {
  mock = startMockAnthropic({ scenario, scenarios });
  return mock;
}

describe("startMockAnthropic", () => {
  test("streams SSE with an event: line before every data: line, and substitutes {{cwd}}", async () => {
    start({
      turns: [{ text: "On it.", tool_use: { name: "Write", input: { file_path: "{{cwd}}/a.txt", content: "x" } } }],
    });
    const response = await post({ stream: true, messages: [userTurn] });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const body = await response.text();
    const lines = body.split("\n").filter(Boolean);
    lines.forEach((line, i) => {
      if (line.startsWith("data: ")) expect(lines[i - 1]?.startsWith("event: ")).toBe(true);
    });
    const types = lines.filter((l) => l.startsWith("event: ")).map((l) => l.slice(7));
    expect(types[0]).toBe("message_start");
    expect(types.at(-1)).toBe("message_stop");
    const partialJson = lines
      .filter((l) => l.includes("input_json_delta"))
      .map((l) => JSON.parse(l.slice(6)).delta.partial_json)
      .join("");
    expect(JSON.parse(partialJson)).toEqual({ file_path: "/work/repo/a.txt", content: "x" });
    expect(body).toContain('"stop_reason":"tool_use"');
  });

  test("answers a non-streaming request with a plain Message, the turn index counting assistant messages", async () => {
    start({ turns: [{ text: "first" }, { text: "second" }] });
    const message = await json(post({ messages: afterOneTool }));
    expect(message.type).toBe("message");
    expect(message.content).toEqual([{ type: "text", text: "second" }]);
    expect(message.usage.input_tokens).toBeLessThan(100);
    const [record] = mock?.requests() ?? [];
    expect(record?.turn).toBe(1);
    expect(record?.toolResults?.[0]?.content).toBe("File created successfully at: x");
  });

  test("an error turn with times fails that many times per session, with its headers, then plays then", async () => {
    const turn: MockTurn = {
      error: { status: 429, headers: { "retry-after": "2" } },
      times: 2,
      // biome-ignore lint/suspicious/noThenProperty: the mock's scenario format (reference doc) names the follow-up "then".
      then: { text: "recovered" },
    };
    start({ turns: [turn] });
    const first = await post({ messages: [userTurn] });
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("2");
    expect((await json(first)).error.type).toBe("rate_limit_error");
    expect((await post({ messages: [userTurn] })).status).toBe(429);
    const third = await post({ messages: [userTurn] });
    expect((await json(third)).content[0]?.text).toBe("recovered");
    // Another session has its own counter.
    expect((await post({ messages: [userTurn] }, { "x-claude-code-session-id": "s-2" })).status).toBe(429);
  });

  test("x-mock-scenario picks a named scenario, an unknown one is a 400, and past the script it says so", async () => {
    start({ turns: [{ text: "default" }] }, { other: { turns: [{ text: "from other" }] } });
    const named = await json(post({ messages: [userTurn] }, { "x-mock-scenario": "other" }));
    expect(named.content[0]?.text).toBe("from other");
    expect((await post({ messages: [userTurn] }, { "x-mock-scenario": "nope" })).status).toBe(400);
    const exhausted = await json(post({ messages: afterOneTool }));
    expect(exhausted.content[0]?.text).toBe("done (mock script exhausted)");
  });

  test("without a header, the most specific scenario whose match texts are all in the prompt is played", async () => {
    start(
      { turns: [{ text: "default" }] },
      {
        story: { match: "# Task: US-002", turns: [{ text: "story" }] },
        repair: { match: ["# Task: US-002", "## Rectification round 1"], turns: [{ text: "repair" }] },
      },
    );
    const prompt = (text: string) => ({ messages: [{ role: "user", content: [{ type: "text", text }] }] });
    expect((await json(post(prompt("# Task: US-002 — x")))).content[0]?.text).toBe("story");
    expect((await json(post(prompt("# Task: US-002 — x\n## Rectification round 1")))).content[0]?.text).toBe("repair");
    expect((await json(post(prompt("# Task: US-003 — y")))).content[0]?.text).toBe("default");
  });

  test("requests without tools are side requests answered with side.text", async () => {
    start({ turns: [], side: { text: '{"route":"fast"}' } });
    const message = await json(post({ tools: [], messages: [userTurn] }));
    expect(message.content[0]?.text).toBe('{"route":"fast"}');
    expect(mock?.requests()[0]?.kind).toBe("side");
  });

  test("a stall sends message_start and then nothing, until the mock stops", async () => {
    start({ turns: [{ stall: true }] });
    const response = await post({ stream: true, messages: [userTurn] });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toContain("event: message_start");
    await mock?.stop();
    mock = undefined;
    // Whatever was sent before the stop is still readable: it must hold no content and no end.
    const rest = async () => {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
        text += decoder.decode(chunk.value);
    };
    // Stopping closes open connections: a reset is how this stream may end.
    await rest().catch((error: NodeJS.ErrnoException) => expect(error.code).toBe("ECONNRESET"));
    expect(text).not.toContain("content_block_start");
    expect(text).not.toContain("message_stop");
  });

  test("control endpoints replace the scenario, list requests and reset", async () => {
    start({ turns: [{ text: "old" }] });
    await fetch(`${mock?.url}/_mock/scenario`, { method: "POST", body: JSON.stringify({ turns: [{ text: "new" }] }) });
    expect((await json(post({ messages: [userTurn] }))).content[0]?.text).toBe("new");
    expect(await (await fetch(`${mock?.url}/_mock/requests`)).json()).toHaveLength(1);
    expect((await fetch(mock?.url as string, { method: "HEAD" })).status).toBe(200);
    await fetch(`${mock?.url}/_mock/reset`, { method: "POST" });
    expect(mock?.requests()).toEqual([]);
  });

  test("the CLI entry prints MOCK_LISTENING <port>, serves --scenario and --scenario-dir, logs, and stops on SIGINT", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nax-mock-cli-"));
    try {
      await mkdir(join(dir, "scenarios"));
      await writeFile(join(dir, "default.json"), JSON.stringify({ turns: [{ text: "from file" }] }));
      await writeFile(join(dir, "scenarios", "named.json"), JSON.stringify({ turns: [{ text: "from dir" }] }));
      const cli = resolve(import.meta.dir, "../../helpers/mock-anthropic/cli.ts");
      const args = [
        "--scenario",
        join(dir, "default.json"),
        "--scenario-dir",
        join(dir, "scenarios"),
        "--log",
        join(dir, "log.jsonl"),
      ];
      const child = Bun.spawn([process.execPath, cli, ...args], { stdout: "pipe", stderr: "pipe" });
      try {
        const first = await (child.stdout as ReadableStream<Uint8Array>).getReader().read();
        const match = /^MOCK_LISTENING (\d+)\n/.exec(new TextDecoder().decode(first.value));
        expect(match).not.toBeNull();
        const url = `http://127.0.0.1:${match?.[1]}/v1/messages`;
        const ask = (headers: Record<string, string>) =>
          json(fetch(url, { method: "POST", headers, body: JSON.stringify({ tools: TOOLS, messages: [userTurn] }) }));
        expect((await ask({})).content[0]?.text).toBe("from file");
        expect((await ask({ "x-mock-scenario": "named" })).content[0]?.text).toBe("from dir");
        expect((await readFile(join(dir, "log.jsonl"), "utf8")).trim().split("\n")).toHaveLength(2);
      } finally {
        child.kill("SIGINT");
      }
      expect(await child.exited).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
