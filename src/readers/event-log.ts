/**
 * Reading a run's event log `nax/features/<f>/runs/<runId>.jsonl` through the
 * event schemas (`StoredEventLineSchema`: the envelope, or an older line
 * lifted into it), and summarising it into what readers need: when
 * the run started, how it ended (if it did), its latest counts and cost, and
 * the story that was in progress. Bad lines are counted, never fatal.
 */
import type { EnvelopeFor } from "../events/envelope";
import type { StoryCounts } from "../prd/counts";
import { type EventLine, StoredEventLineSchema } from "../state/event-line";
import type { Fs } from "../system/fs";
import { parseJsonAs } from "./read-json";

export const TERMINAL_EVENT_TYPES: ReadonlySet<EventLine["type"]> = new Set(["run:completed", "run:crashed"]);

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
    const read = parseJsonAs(raw, StoredEventLineSchema);
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
  terminal?: EnvelopeFor<"run:completed" | "run:crashed">;
  /** The latest story counts any line carried. */
  counts?: StoryCounts;
  /** Sum of every agent session's reported cost. */
  costUsd: number;
  /** The story started last and not yet finished. */
  storyInProgress?: string;
  pid?: number;
  hostname?: string;
}

/** The story counts a line carries, if its event has them. */
function countsOf(line: EventLine): StoryCounts | undefined {
  return "counts" in line.data ? line.data.counts : undefined;
}

/** Pure: folds the lines of one run into a summary. */
export function summarizeEventLog(lines: readonly EventLine[]): EventLogSummary {
  const summary: EventLogSummary = { costUsd: 0 };
  for (const line of lines) {
    summary.lastAt = line.at;
    const counts = countsOf(line);
    if (counts) summary.counts = counts;
    switch (line.type) {
      case "run:started":
        summary.startedAt ??= line.at;
        summary.pid = line.data.pid;
        summary.hostname = line.data.hostname;
        break;
      case "agent:session-completed":
        summary.costUsd += line.data.costUsd;
        break;
      case "story:started":
        summary.storyInProgress = line.data.storyId;
        break;
      case "story:completed":
      case "story:failed":
      case "story:paused":
        if (line.data.storyId === summary.storyInProgress) summary.storyInProgress = undefined;
        break;
      case "run:completed":
      case "run:crashed":
        summary.terminal ??= line;
        break;
      default:
        break;
    }
  }
  summary.startedAt ??= lines[0]?.at;
  return summary;
}
