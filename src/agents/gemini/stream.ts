/**
 * Pure decoding of `gemini -p … --output-format stream-json` (JSON lines):
 * init (session_id, model), message (user/assistant chunks; assistant text
 * comes as deltas), tool_use, tool_result, error (warnings and errors) and
 * the final result (status success|error, an error's type and message, and
 * stats with the session's input and output tokens). Gemini CLI reports no
 * cost. Unknown or broken lines are counted, never thrown.
 */
import { isObject, type LineDecoder, num, parseJsonLine, str } from "../cli-session";
import type { AgentProgress } from "../types";

export interface GeminiSummary {
  sessionId?: string;
  model?: string;
  /** The assistant's text since the last tool call (its deltas joined). */
  lastText: string;
  toolCalls: number;
  lastError?: string;
  result?: { status: string; errorType?: string; errorMessage?: string; inputTokens: number; outputTokens: number };
  unparsedLines: number;
}

function parseResult(raw: Record<string, unknown>): NonNullable<GeminiSummary["result"]> {
  const stats = isObject(raw.stats) ? raw.stats : {};
  const error = isObject(raw.error) ? raw.error : undefined;
  return {
    status: str(raw.status) ?? "error",
    ...(error && str(error.type) ? { errorType: str(error.type) } : {}),
    ...(error && str(error.message) ? { errorMessage: str(error.message) } : {}),
    inputTokens: num(stats.input_tokens) ?? 0,
    outputTokens: num(stats.output_tokens) ?? 0,
  };
}

export function feedGemini(summary: GeminiSummary, line: string): { summary: GeminiSummary; progress?: AgentProgress } {
  if (line.trim() === "") return { summary };
  const raw = parseJsonLine(line);
  if (!raw) return { summary: { ...summary, unparsedLines: summary.unparsedLines + 1 } };
  switch (raw.type) {
    case "init": {
      const next = { ...summary, sessionId: str(raw.session_id), model: str(raw.model) };
      return {
        summary: next,
        progress: { kind: "init", detail: `session ${next.sessionId ?? "?"} (${next.model ?? "?"})` },
      };
    }
    case "message": {
      if (raw.role !== "assistant") return { summary };
      const chunk = str(raw.content) ?? "";
      const lastText = raw.delta === true ? summary.lastText + chunk : chunk;
      const first = lastText.trim().split("\n")[0] ?? "";
      return {
        summary: { ...summary, lastText },
        progress: first ? { kind: "text", detail: first.slice(0, 200) } : undefined,
      };
    }
    case "tool_use": {
      const params = isObject(raw.parameters) ? raw.parameters : {};
      const target = str(params.file_path) ?? str(params.command) ?? str(params.pattern) ?? "";
      return {
        summary: { ...summary, toolCalls: summary.toolCalls + 1, lastText: "" },
        progress: { kind: "tool", detail: `${str(raw.tool_name) ?? "tool"} ${target}`.trim().slice(0, 200) },
      };
    }
    case "error":
      return { summary: { ...summary, lastError: str(raw.message) ?? "error" } };
    case "result":
      return { summary: { ...summary, result: parseResult(raw) } };
    default:
      return { summary };
  }
}

export const GEMINI_DECODER: LineDecoder<GeminiSummary> = {
  initial: () => ({ lastText: "", toolCalls: 0, unparsedLines: 0 }),
  feed: feedGemini,
  usage: (s) => ({ inputTokens: s.result?.inputTokens ?? 0, outputTokens: s.result?.outputTokens ?? 0 }),
};
