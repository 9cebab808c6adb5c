/** One event line as `nax logs` prints it (time, level, stage, story, message), and the run summary after it. */
import type { RunOutcome } from "../../readers/run-outcome";
import type { EventLine } from "../../state/event-line";
import { formatClock, formatCost, formatDuration, paintStatus } from "./format";
import type { Paint } from "./paint";

export function renderLogLine(line: EventLine, paint: Paint): string {
  const level = line.level.toUpperCase().padEnd(5);
  const painted =
    line.level === "error"
      ? paint.error(level)
      : line.level === "warn"
        ? paint.warn(level)
        : line.level === "debug"
          ? paint.dim(level)
          : level;
  const stage = (line.stage ?? "-").padEnd(10);
  const story = (line.storyId ?? "-").padEnd(8);
  return `${paint.dim(formatClock(line.at))} ${painted} ${paint.dim(stage)} ${story} ${line.message}`;
}

export function renderRunSummary(runId: string, outcome: RunOutcome, paint: Paint): string {
  const parts = [
    `${outcome.passed}/${outcome.total} stories passed`,
    formatCost(outcome.costUsd),
    formatDuration(outcome.durationMs),
  ];
  const reason = outcome.exitReason ? ` (${outcome.exitReason})` : "";
  return `${paint.bold(`run ${runId}`)}: ${paintStatus(paint, outcome.status)}${reason}, ${parts.join(", ")}`;
}
