/**
 * How each fake CLI words a session on stdout, after the real CLI's
 * documented JSON lines: `codex exec --json` (thread/turn/item events),
 * `opencode run --format json` (step_start/text/tool_use/step_finish/error),
 * `gemini --output-format stream-json` (init/message/tool_use/tool_result/result).
 */
import type { FakeCliName, FakeCliResult } from "./fake-cli-script";

export type ToolKind = "write" | "edit" | "shell";
type Event = Record<string, unknown>;

export interface Format {
  start(sessionId: string, model: string, prompt: string): Event[];
  text(text: string): Event[];
  tool(kind: ToolKind, target: string, output: string, ok: boolean): Event[];
  /** The closing events and the exit code. */
  end(result: FakeCliResult, defaults: { message: string; status: number }): { events: Event[]; exitCode: number };
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}_${++counter}`;
const tokensOf = (r: FakeCliResult) => ({ input: r.inputTokens ?? 1200, output: r.outputTokens ?? 300 });

const codex: Format = {
  start: (sessionId) => [{ type: "thread.started", thread_id: sessionId }, { type: "turn.started" }],
  text: (text) => [{ type: "item.completed", item: { id: nextId("item"), type: "agent_message", text } }],
  tool(kind, target, output, ok) {
    const id = nextId("item");
    if (kind === "shell") {
      return [
        {
          type: "item.started",
          item: {
            id,
            type: "command_execution",
            command: target,
            aggregated_output: "",
            exit_code: null,
            status: "in_progress",
          },
        },
        {
          type: "item.completed",
          item: {
            id,
            type: "command_execution",
            command: target,
            aggregated_output: output,
            exit_code: ok ? 0 : 1,
            status: ok ? "completed" : "failed",
          },
        },
      ];
    }
    const change = { path: target, kind: kind === "write" ? "add" : "update" };
    return [{ type: "item.completed", item: { id, type: "file_change", changes: [change], status: "completed" } }];
  },
  end(result, defaults) {
    const status = result.status ?? "success";
    if (status === "success") {
      const t = tokensOf(result);
      return {
        events: [
          { type: "turn.completed", usage: { input_tokens: t.input, cached_input_tokens: 0, output_tokens: t.output } },
        ],
        exitCode: result.exitCode ?? 0,
      };
    }
    const message = result.message ?? defaults.message;
    return {
      events: [
        { type: "error", message },
        { type: "turn.failed", error: { message } },
      ],
      exitCode: result.exitCode ?? 1,
    };
  },
};

function opencodeFormat(): Format {
  let sessionID = "";
  const base = (type: string, part: Event): Event => ({
    type,
    timestamp: Date.now(),
    sessionID,
    part: { id: nextId("prt"), sessionID, ...part },
  });
  return {
    start(sessionId) {
      sessionID = sessionId;
      return [base("step_start", { type: "step-start" })];
    },
    text: (text) => [base("text", { type: "text", text, time: { start: Date.now(), end: Date.now() } })],
    tool(kind, target, output, ok) {
      const tool = kind === "shell" ? "bash" : kind;
      const input = kind === "shell" ? { command: target } : { filePath: target };
      return [
        base("tool_use", {
          type: "tool",
          tool,
          callID: nextId("call"),
          state: { status: ok ? "completed" : "error", input, output },
        }),
      ];
    },
    end(result, defaults) {
      const status = result.status ?? "success";
      if (status === "success") {
        const t = tokensOf(result);
        const tokens = { input: t.input, output: t.output, reasoning: 0, cache: { read: 0, write: 0 } };
        return {
          events: [base("step_finish", { type: "step-finish", reason: "stop", cost: result.costUsd ?? 0.02, tokens })],
          exitCode: result.exitCode ?? 0,
        };
      }
      const name = status === "auth" ? "ProviderAuthError" : "APIError";
      const data = {
        message: result.message ?? defaults.message,
        statusCode: defaults.status,
        isRetryable: status === "rate-limit",
      };
      return {
        events: [{ type: "error", timestamp: Date.now(), sessionID, error: { name, data } }],
        exitCode: result.exitCode ?? 1,
      };
    },
  };
}

function geminiFormat(): Format {
  let tools = 0;
  const at = () => new Date().toISOString();
  return {
    start: (sessionId, model, prompt) => [
      { type: "init", timestamp: at(), session_id: sessionId, model },
      { type: "message", timestamp: at(), role: "user", content: prompt },
    ],
    text: (text) => [{ type: "message", timestamp: at(), role: "assistant", content: text, delta: true }],
    tool(kind, target, output, ok) {
      tools += 1;
      const tool_id = nextId("tool");
      const tool_name = kind === "shell" ? "run_shell_command" : kind === "write" ? "write_file" : "replace";
      const parameters = kind === "shell" ? { command: target } : { file_path: target };
      return [
        { type: "tool_use", timestamp: at(), tool_name, tool_id, parameters },
        { type: "tool_result", timestamp: at(), tool_id, status: ok ? "success" : "error", output },
      ];
    },
    end(result, defaults) {
      const t = tokensOf(result);
      const stats = {
        total_tokens: t.input + t.output,
        input_tokens: t.input,
        output_tokens: t.output,
        cached: 0,
        input: t.input,
        duration_ms: 5,
        tool_calls: tools,
        models: {},
      };
      const status = result.status ?? "success";
      if (status === "success")
        return {
          events: [{ type: "result", timestamp: at(), status: "success", stats }],
          exitCode: result.exitCode ?? 0,
        };
      const type = status === "auth" ? "FatalAuthenticationError" : "ApiError";
      const error = { type, message: result.message ?? defaults.message };
      return {
        events: [{ type: "result", timestamp: at(), status: "error", error, stats }],
        exitCode: result.exitCode ?? (status === "auth" ? 41 : 1),
      };
    },
  };
}

export function formatFor(cli: FakeCliName): Format {
  if (cli === "codex") return codex;
  return cli === "opencode" ? opencodeFormat() : geminiFormat();
}

/** Each CLI's own words for an error, and its HTTP status. */
export function errorDefaults(cli: FakeCliName, status: FakeCliResult["status"]): { message: string; status: number } {
  if (status === "rate-limit") {
    if (cli === "codex")
      return {
        message: "exceeded retry limit, last status: 429 Too Many Requests, retry after 120 seconds",
        status: 429,
      };
    if (cli === "opencode") return { message: "Rate limit exceeded: retry after 120 seconds", status: 429 };
    return {
      message: "[429 Too Many Requests] RESOURCE_EXHAUSTED: Quota exceeded; retry after 120 seconds",
      status: 429,
    };
  }
  if (status === "auth") {
    if (cli === "codex")
      return { message: "unexpected status 401 Unauthorized: Incorrect API key provided", status: 401 };
    if (cli === "opencode") return { message: "invalid x-api-key", status: 401 };
    return { message: "API key not valid. Please pass a valid API key.", status: 400 };
  }
  return { message: "Internal server error", status: 500 };
}
