/**
 * Reading a run's event log `nax/features/<f>/runs/<runId>.jsonl` through the
 * writer's `EventLineSchema`, and summarising it into what readers need: when
 * the run started, how it ended (if it did), its latest counts and cost, and
 * the story that was in progress. Bad lines are counted, never fatal.
 */
import type { StoryCounts } from "../prd/counts";
import { type EventLine, EventLineSchema } from "../state/event-line";
import type { Fs } from "../system/fs";
import { parseJsonAs } from "./read-json";

export const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set(["run:completed", "run:crashed"]);

export interface ParsedEventLog {
  lines: EventLine[];
  invalid: number;
}

/** Pure: one EventLine per non-blank line; a line that fails the schema is counted and skipped. */
export function parseEventLog(text: string): ParsedEventLog {
  const lines: EventLine[] = [];
  let invalid = 0;
  for (const raw of text.split("\n")) {
    if (raw.trim() === "") continue;
    const read = parseJsonAs(raw, EventLineSchema);
    if (read.kind === "ok") lines.push(read.value);
    else invalid++;
  }
  return { lines, invalid };
}

/** The parsed log, or undefined when the file does not exist. */
export async function readEventLog(fs: Fs, path: string): Promise<ParsedEventLog | undefined> {
  const text = await fs.readText(path);
  return text === undefined ? undefined : parseEventLog(text);
}

export interface EventLogSummary {
  startedAt?: string;
  lastAt?: string;
  /** The `run:completed` or `run:crashed` line, if the run ended. */
  terminal?: EventLine;
  /** The latest story counts any line carried. */
  counts?: StoryCounts;
  /** Sum of every agent session's reported cost. */
  costUsd: number;
  /** The story started last and not yet finished. */
  storyInProgress?: string;
  pid?: number;
  hostname?: string;
}

function countsOf(data: Record<string, unknown>): StoryCounts | undefined {
  const counts = data.counts as Partial<StoryCounts> | undefined;
  if (!counts || typeof counts !== "object" || typeof counts.total !== "number") return undefined;
  return {
    total: counts.total,
    passed: Number(counts.passed ?? 0),
    failed: Number(counts.failed ?? 0),
    paused: Number(counts.paused ?? 0),
    blocked: Number(counts.blocked ?? 0),
    skipped: Number(counts.skipped ?? 0),
    pending: Number(counts.pending ?? 0),
  };
}

const STORY_ENDS = new Set(["story:completed", "story:failed", "story:paused"]);

/** Pure: folds the lines of one run into a summary. */
export function summarizeEventLog(lines: readonly EventLine[]): EventLogSummary {
  const summary: EventLogSummary = { costUsd: 0 };
  for (const line of lines) {
    summary.lastAt = line.ts;
    const counts = countsOf(line.data);
    if (counts) summary.counts = counts;
    switch (line.type) {
      case "run:started":
        summary.startedAt ??= line.ts;
        if (typeof line.data.pid === "number") summary.pid = line.data.pid;
        if (typeof line.data.hostname === "string") summary.hostname = line.data.hostname;
        break;
      case "agent:session-completed":
        summary.costUsd += typeof line.data.costUsd === "number" ? line.data.costUsd : 0;
        break;
      case "story:started":
        summary.storyInProgress = line.storyId ?? (line.data.storyId as string | undefined);
        break;
      default:
        if (STORY_ENDS.has(line.type) && (line.storyId ?? line.data.storyId) === summary.storyInProgress) {
          summary.storyInProgress = undefined;
        }
        if (TERMINAL_EVENT_TYPES.has(line.type)) summary.terminal ??= line;
    }
  }
  summary.startedAt ??= lines[0]?.ts;
  return summary;
}
