/**
 * Pure decoding of `opencode run --format json` (JSON lines, each with
 * `type`, `timestamp`, `sessionID` and a `part`): step_start, text, tool_use,
 * step_finish (the step's `cost` in USD and its `tokens`) and error (the
 * provider's error, with its HTTP status when it had one). Costs and tokens
 * are summed over the steps; unknown or broken lines are counted.
 */
import { isObject, type LineDecoder, num, parseJsonLine, str } from "../cli-session";
import type { AgentProgress } from "../types";

export interface OpencodeSummary {
  sessionId?: string;
  lastText?: string;
  steps: number;
  lastFinishReason?: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  error?: { name: string; message: string; statusCode?: number };
  unparsedLines: number;
}

function tokensOf(part: Record<string, unknown>): { input: number; output: number } {
  const tokens = isObject(part.tokens) ? part.tokens : {};
  const cache = isObject(tokens.cache) ? tokens.cache : {};
  return {
    // Cached input is input the model processed too; opencode reports it apart.
    input: (num(tokens.input) ?? 0) + (num(cache.read) ?? 0) + (num(cache.write) ?? 0),
    output: (num(tokens.output) ?? 0) + (num(tokens.reasoning) ?? 0),
  };
}

function errorOf(raw: Record<string, unknown>): NonNullable<OpencodeSummary["error"]> {
  const error = isObject(raw.error) ? raw.error : {};
  const data = isObject(error.data) ? error.data : {};
  const statusCode = num(data.statusCode);
  return {
    name: str(error.name) ?? "UnknownError",
    message: str(data.message) ?? str(error.message) ?? str(raw.message) ?? "unknown error",
    ...(statusCode === undefined ? {} : { statusCode }),
  };
}

export function feedOpencode(
  summary: OpencodeSummary,
  line: string,
): { summary: OpencodeSummary; progress?: AgentProgress } {
  if (line.trim() === "") return { summary };
  const raw = parseJsonLine(line);
  if (!raw) return { summary: { ...summary, unparsedLines: summary.unparsedLines + 1 } };
  const part = isObject(raw.part) ? raw.part : {};
  const sessionId = str(raw.sessionID) ?? summary.sessionId;
  const next = { ...summary, sessionId };
  switch (raw.type) {
    case "step_start":
      return {
        summary: next,
        progress: summary.steps === 0 ? { kind: "init", detail: `session ${sessionId ?? "?"}` } : undefined,
      };
    case "text": {
      const text = str(part.text) ?? "";
      const first = text.trim().split("\n")[0] ?? "";
      return {
        summary: { ...next, lastText: text },
        progress: first ? { kind: "text", detail: first.slice(0, 200) } : undefined,
      };
    }
    case "tool_use": {
      const state = isObject(part.state) ? part.state : {};
      const input = isObject(state.input) ? state.input : {};
      const target = str(input.filePath) ?? str(input.command) ?? str(input.pattern) ?? "";
      return {
        summary: next,
        progress: { kind: "tool", detail: `${str(part.tool) ?? "tool"} ${target}`.trim().slice(0, 200) },
      };
    }
    case "step_finish": {
      const tokens = tokensOf(part);
      return {
        summary: {
          ...next,
          steps: summary.steps + 1,
          lastFinishReason: str(part.reason),
          costUsd: summary.costUsd + Math.max(0, num(part.cost) ?? 0),
          inputTokens: summary.inputTokens + tokens.input,
          outputTokens: summary.outputTokens + tokens.output,
        },
      };
    }
    case "error":
      return { summary: { ...next, error: errorOf(raw) } };
    default:
      return { summary: next };
  }
}

export const OPENCODE_DECODER: LineDecoder<OpencodeSummary> = {
  initial: () => ({ steps: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, unparsedLines: 0 }),
  feed: feedOpencode,
  usage: (s) => ({ inputTokens: s.inputTokens, outputTokens: s.outputTokens }),
};
