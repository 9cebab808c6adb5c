/**
 * A loopback mock of the Anthropic Messages API (127.0.0.1, ephemeral port)
 * that the real Claude Code CLI can run against. It plays scripted turns per
 * session (`x-claude-code-session-id`), picks a scenario per process from the
 * `x-mock-scenario` header (set through ANTHROPIC_CUSTOM_HEADERS), keeps a
 * request log, and can stall or hang like a broken upstream.
 */
import { errorResponse, messageObject, messageStartEvent, sseEvent, sseEventsOf } from "./responses";
import {
  cwdOfSystem,
  type MockScenario,
  type MockTurn,
  parseScenario,
  resolveTurn,
  substituteCwd,
  turnIndexOf,
} from "./scenario";

export interface MockToolResult {
  tool_use_id: string;
  content: string;
  is_error?: boolean;
}

export interface MockRequestRecord {
  at: string;
  method: string;
  path: string;
  kind: "messages" | "side" | "head" | "other";
  sessionId?: string;
  scenario?: string;
  turn?: number;
  stream?: boolean;
  model?: string;
  /** What the mock answered: text, tool_use, error <status>, stall, hang, abort. */
  answer?: string;
  /** tool_result blocks of the last user message (what the CLI's tools returned). */
  toolResults?: MockToolResult[];
  /** The last user message's text (the prompt on turn 0), cut to its last 2000 characters. */
  userText?: string;
}

export interface MockAnthropicOptions {
  /** Played when a request names no scenario. */
  scenario?: MockScenario;
  /** Chosen per request by the `x-mock-scenario` header. */
  scenarios?: Record<string, MockScenario>;
  port?: number;
  onRequest?: (record: MockRequestRecord) => void;
}

export interface MockAnthropic {
  /** Base URL for ANTHROPIC_BASE_URL (no `/v1`: the CLI appends it). */
  url: string;
  port: number;
  requests(): MockRequestRecord[];
  /** Replaces the default scenario, or a named one. */
  setScenario(scenario: MockScenario, name?: string): void;
  /** Clears the request log and the per-session counters. */
  reset(): void;
  stop(): Promise<void>;
}

const DEFAULT_SIDE_TEXT = '{"title":"Mock session"}';

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((block) => (typeof block?.text === "string" ? block.text : "")).join("\n");
}

function firstUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return "";
  return textOf(messages.find((m) => m?.role === "user")?.content);
}

/**
 * Without a scenario header: the named scenario all of whose `match` texts are
 * in the session's prompt; the most specific (most texts) wins, so a repair
 * round's scenario beats its story's.
 */
function matchScenario(named: Map<string, MockScenario>, prompt: string): MockScenario | undefined {
  let best: { scenario: MockScenario; size: number } | undefined;
  for (const scenario of named.values()) {
    if (scenario.match === undefined) continue;
    const texts = Array.isArray(scenario.match) ? scenario.match : [scenario.match];
    if (!texts.every((text) => prompt.includes(text))) continue;
    if (!best || texts.length > best.size) best = { scenario, size: texts.length };
  }
  return best?.scenario;
}

function lastUserMessage(messages: unknown): { content?: unknown } | undefined {
  if (!Array.isArray(messages)) return undefined;
  return [...messages].reverse().find((m) => m?.role === "user");
}

function toolResultsOf(message: { content?: unknown } | undefined): MockToolResult[] {
  if (!Array.isArray(message?.content)) return [];
  return message.content
    .filter((block: { type?: string }) => block?.type === "tool_result")
    .map((block: { tool_use_id: string; content: unknown; is_error?: boolean }) => ({
      tool_use_id: block.tool_use_id,
      content: textOf(block.content),
      ...(block.is_error === undefined ? {} : { is_error: block.is_error }),
    }));
}

function answerOf(turn: MockTurn): string {
  if (turn.error) return `error ${turn.error.status}`;
  if (turn.hang) return "hang";
  if (turn.stall) return "stall";
  if (turn.abort) return "abort";
  return turn.tool_use || turn.tool_uses?.length ? "tool_use" : "text";
}

export function startMockAnthropic(options: MockAnthropicOptions = {}): MockAnthropic {
  let defaultScenario: MockScenario = options.scenario ?? { turns: [] };
  const named = new Map(Object.entries(options.scenarios ?? {}));
  /** How many tool-less requests each scenario has answered from its `sdk` list. */
  const sdkSeen = new Map<MockScenario, number>();
  const counters = new Map<string, number>();
  const log: MockRequestRecord[] = [];
  // Requests and streams held open on purpose (hang, stall): released on stop so nothing leaks.
  const held = new Set<() => void>();

  const record = (entry: MockRequestRecord) => {
    log.push(entry);
    options.onRequest?.(entry);
  };

  const holdForever = (): Promise<Response> =>
    new Promise((resolve) => {
      const release = () => resolve(new Response("mock stopped", { status: 503 }));
      held.add(release);
    });

  const stalledStream = (turn: MockTurn, model: string, abort: boolean): Response => {
    const body = new ReadableStream<string>({
      start(controller) {
        controller.enqueue(messageStartEvent(turn, model));
        controller.enqueue(sseEvent("ping", { type: "ping" }));
        if (abort) {
          controller.error(new Error("mock abort: connection dropped mid-stream"));
          return;
        }
        held.add(() => {
          try {
            controller.close();
          } catch (error) {
            // The client already hung up, which closed the stream: nothing left to release.
            if (!(error instanceof TypeError)) throw error;
          }
        });
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  };

  const messages = async (req: Request, path: string): Promise<Response> => {
    const body = (await req.json()) as Record<string, unknown>;
    const scenarioName = req.headers.get("x-mock-scenario") ?? undefined;
    const sessionId = req.headers.get("x-claude-code-session-id") ?? undefined;
    const model = typeof body.model === "string" ? body.model : "mock-model";
    const stream = body.stream === true;
    const scenario =
      scenarioName === undefined
        ? (matchScenario(named, firstUserText(body.messages)) ?? defaultScenario)
        : named.get(scenarioName);
    const last = lastUserMessage(body.messages);
    const base = { at: new Date().toISOString(), method: req.method, path, sessionId, stream, model };
    const userText = textOf(last?.content).slice(-2000);
    if (!scenario) {
      record({ ...base, kind: "messages", scenario: scenarioName, answer: "error 400", userText });
      return errorResponse({ status: 400, message: `unknown mock scenario "${scenarioName}"` });
    }
    const isSide = !Array.isArray(body.tools) || body.tools.length === 0;
    let turn: MockTurn;
    let index: number | undefined;
    if (isSide && scenario.sdk && scenario.sdk.length > 0) {
      const seen = sdkSeen.get(scenario) ?? 0;
      sdkSeen.set(scenario, seen + 1);
      turn = scenario.sdk[Math.min(seen, scenario.sdk.length - 1)] as MockTurn;
    } else if (isSide) {
      turn = { text: scenario.side?.text ?? DEFAULT_SIDE_TEXT };
    } else {
      index = turnIndexOf(body.messages);
      const key = `${scenarioName ?? ""}|${sessionId ?? ""}|${index}`;
      const seen = counters.get(key) ?? 0;
      counters.set(key, seen + 1);
      turn = substituteCwd(resolveTurn(scenario.turns[index], seen), cwdOfSystem(body.system));
    }
    record({
      ...base,
      kind: isSide ? "side" : "messages",
      scenario: scenarioName,
      turn: index,
      answer: answerOf(turn),
      toolResults: toolResultsOf(last),
      userText,
    });
    if (turn.delay_ms) await Bun.sleep(turn.delay_ms);
    if (turn.error) return errorResponse(turn.error);
    if (turn.hang || (!stream && turn.stall)) return holdForever();
    if (!stream) {
      if (turn.abort) return errorResponse({ status: 500, message: "mock abort (non-streaming)" });
      return Response.json(messageObject(turn, model));
    }
    if (turn.stall || turn.abort) return stalledStream(turn, model, turn.abort === true);
    return new Response(sseEventsOf(turn, model).join(""), { headers: { "content-type": "text/event-stream" } });
  };

  const control = async (req: Request, path: string): Promise<Response> => {
    if (path === "/_mock/requests") return Response.json(log);
    if (path === "/_mock/reset" && req.method === "POST") {
      log.length = 0;
      counters.clear();
      sdkSeen.clear();
      return Response.json({ ok: true });
    }
    if (path === "/_mock/scenario" && req.method === "POST") {
      const body = (await req.json()) as { name?: string; scenario?: unknown; turns?: unknown };
      if (typeof body.name === "string") named.set(body.name, parseScenario(body.scenario, body.name));
      else defaultScenario = parseScenario(body);
      return Response.json({ ok: true });
    }
    return Response.json({ error: `unknown control endpoint ${req.method} ${path}` }, { status: 404 });
  };

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: options.port ?? 0,
    // A stalled stream must stay open as long as the test wants: no idle cut-off.
    idleTimeout: 0,
    async fetch(req) {
      const path = new URL(req.url).pathname;
      if (req.method === "HEAD") {
        record({ at: new Date().toISOString(), method: req.method, path, kind: "head" });
        return new Response(null, { status: 200 });
      }
      if (path.startsWith("/_mock/")) return control(req, path);
      if (req.method === "POST" && path === "/v1/messages") return messages(req, path);
      record({ at: new Date().toISOString(), method: req.method, path, kind: "other" });
      if (path === "/v1/messages/count_tokens") return Response.json({ input_tokens: 12 });
      if (path === "/v1/models") return Response.json({ data: [], has_more: false, first_id: null, last_id: null });
      return errorResponse({ status: 404, message: `mock: no route for ${req.method} ${path}` });
    },
  });
  const port = server.port as number;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: () => [...log],
    setScenario(scenario, name) {
      if (name === undefined) defaultScenario = scenario;
      else named.set(name, scenario);
    },
    reset() {
      log.length = 0;
      counters.clear();
      sdkSeen.clear();
    },
    async stop() {
      for (const release of held) release();
      held.clear();
      await server.stop(true);
    },
  };
}
