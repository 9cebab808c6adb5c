/**
 * Which of the fixed terminal reasons (worker/result.ts) a worker ends with,
 * from what its story loop, its attempts and its push said: pure, so every
 * path to each reason is a unit test. A pass counts only once it is pushed.
 */
import type { AttemptReport } from "../execution/attempt";
import type { LoopResult } from "../execution/story-loop";
import type { StopReason } from "../execution/story-outcome";
import type { UserStory } from "../prd/schema";
import type { TerminalReason } from "./result";

export interface TerminalInput {
  loop: LoopResult;
  story: UserStory;
  /** Every attempt's report, oldest first. */
  reports: readonly AttemptReport[];
  deadlineHit: boolean;
  pushed: boolean;
  pushError?: string;
  spent: number;
  limit: number;
}

const FROM_STOP: Record<StopReason, TerminalReason> = {
  "cost-limit": "budget-exhausted",
  aborted: "aborted",
  "agent-unusable": "agent-unusable",
  "test-command-unusable": "test-command-unusable",
  "state-write-failed": "internal-error",
};

export function terminalReason(input: TerminalInput): { reason: TerminalReason; detail?: string } {
  const { loop, story } = input;
  if (input.pushed && story.status === "passed") return { reason: "passed" };
  // An abort the deadline caused is the deadline's, whatever it interrupted.
  if (input.deadlineHit) return { reason: "deadline", detail: "the job's deadline passed before the story was done" };
  const last = input.reports.at(-1);
  if (last?.after.kind === "stop") return { reason: FROM_STOP[last.after.reason], detail: last.after.detail };
  if (loop.status === "aborted") return { reason: "aborted", detail: loop.detail };
  if (input.pushError !== undefined) return { reason: "push-failed", detail: input.pushError };
  if (story.status !== "failed" && input.spent >= input.limit) {
    return { reason: "budget-exhausted", detail: loop.exitReason ?? "the job's budget is spent" };
  }
  const failure = story.priorFailures?.at(-1)?.reason;
  return { reason: "failed", detail: loop.exitReason ?? failure ?? `the story ended ${story.status}` };
}
