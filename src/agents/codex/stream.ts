/**
 * Pure decoding of `codex exec --json` (JSON lines): thread.started,
 * turn.started, item.started/updated/completed (agent_message, reasoning,
 * command_execution, file_change, ...), turn.completed with the turn's token
 * usage, turn.failed and error. The reducer keeps what classification needs;
 * unknown or broken lines are counted, never thrown.
 */
import { isObject, type LineDecoder, num, parseJsonLine, str } from "../cli-session";
import type { AgentProgress } from "../types";

export interface CodexSummary {
  threadId?: string;
  lastText?: string;
  turnsCompleted: number;
  turnFailed?: string;
  /** The last `error` event's message (codex prints its retries of a failing request this way). */
  lastError?: string;
  inputTokens: number;
  outputTokens: number;
  unparsedLines: number;
}

function itemProgress(item: Record<string, unknown>): AgentProgress | undefined {
  switch (item.type) {
    case "agent_message": {
      const first = (str(item.text) ?? "").trim().split("\n")[0] ?? "";
      return first ? { kind: "text", detail: first.slice(0, 200) } : undefined;
    }
    case "command_execution":
      return { kind: "tool", detail: `shell ${(str(item.command) ?? "").slice(0, 120)}` };
    case "file_change": {
      const changes = Array.isArray(item.changes) ? item.changes.filter(isObject) : [];
      return { kind: "tool", detail: `edit ${changes.map((c) => str(c.path) ?? "?").join(", ")}`.slice(0, 200) };
    }
    default:
      return undefined;
  }
}

export function feedCodex(summary: CodexSummary, line: string): { summary: CodexSummary; progress?: AgentProgress } {
  if (line.trim() === "") return { summary };
  const raw = parseJsonLine(line);
  if (!raw) return { summary: { ...summary, unparsedLines: summary.unparsedLines + 1 } };
  switch (raw.type) {
    case "thread.started": {
      const threadId = str(raw.thread_id);
      return { summary: { ...summary, threadId }, progress: { kind: "init", detail: `thread ${threadId ?? "?"}` } };
    }
    case "item.completed": {
      const item = isObject(raw.item) ? raw.item : {};
      const text = item.type === "agent_message" ? str(item.text) : undefined;
      const next = text === undefined ? summary : { ...summary, lastText: text };
      return { summary: next, progress: itemProgress(item) };
    }
    case "item.started": {
      const item = isObject(raw.item) ? raw.item : {};
      return { summary, progress: item.type === "command_execution" ? itemProgress(item) : undefined };
    }
    case "turn.completed": {
      const usage = isObject(raw.usage) ? raw.usage : {};
      return {
        summary: {
          ...summary,
          turnsCompleted: summary.turnsCompleted + 1,
          inputTokens: summary.inputTokens + (num(usage.input_tokens) ?? 0),
          outputTokens: summary.outputTokens + (num(usage.output_tokens) ?? 0),
        },
      };
    }
    case "turn.failed": {
      const error = isObject(raw.error) ? str(raw.error.message) : undefined;
      return { summary: { ...summary, turnFailed: error ?? "turn failed" } };
    }
    case "error": {
      const message = str(raw.message) ?? "error";
      return {
        summary: { ...summary, lastError: message },
        progress: { kind: "retry", detail: message.slice(0, 200) },
      };
    }
    default:
      return { summary };
  }
}

export const CODEX_DECODER: LineDecoder<CodexSummary> = {
  initial: () => ({ turnsCompleted: 0, inputTokens: 0, outputTokens: 0, unparsedLines: 0 }),
  feed: feedCodex,
  usage: (s) => ({ inputTokens: s.inputTokens, outputTokens: s.outputTokens }),
};
