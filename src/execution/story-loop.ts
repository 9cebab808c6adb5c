/**
 * The story loop: up to `execution.parallel` lanes, each running one story
 * attempt at a time (sequential is one lane, the same code). For each free
 * lane: pick the next story no lane holds, check the limits, mark it in
 * progress, run the pipeline once (one iteration) in the attempt's own
 * worktree, land it through the merge queue, apply the outcome; until every
 * story is done, a limit stops the run, or nothing runnable is left. A stop
 * from one lane starts no new attempt and lets the others settle. Lanes are
 * numbered 1..N (the lowest free number is taken); the attempt's events carry
 * it. A lane left with nothing to start tells isolation (`idle`). The only
 * delay is the configured `iterationDelayMs` (trap 25). One
 * attempt is `runAttempt` (attempt.ts), the entry point `nax worker` shares.
 */
import type { NaxConfig } from "../config/schema";
import type { RunControl } from "../control/run-control";
import { isNaxError } from "../errors";
import type { RunTerminalStatus } from "../events/events";
import type { CostGate } from "../interaction/cost-gate";
import type { Logger } from "../logger/logger";
import type { Budget } from "../pipeline/budget";
import type { PipelineOutcome } from "../pipeline/pipeline";
import type { StoryContext } from "../pipeline/stage";
import type { Complexity, UserStory } from "../prd/schema";
import { selectNextStory } from "../prd/select";
import type { Clock } from "../system/clock";
import { formatCost } from "../utils/format-cost";
import { type AttemptReport, runAttempt } from "./attempt";
import { createEscalationRecord, planNextAttempt } from "./escalation";
import type { AttemptIsolation } from "./lanes";
import { describeEnd } from "./run-end";
import type { AfterOutcome, OutcomeDeps } from "./story-outcome";

export interface StoryLoopDeps extends OutcomeDeps {
  runId: string;
  feature: string;
  workdir: string;
  config: NaxConfig;
  logger: Logger;
  signal: AbortSignal;
  clock: Clock;
  budget: Budget;
  runStory: (ctx: StoryContext) => Promise<PipelineOutcome>;
  /** Iterations already spent in this run (an earlier loop before a regression round). */
  iterationsSoFar?: number;
  /** Complexity and test strategy for `story:started`, before the routing stage has run. */
  classify: (story: UserStory) => { complexity: Complexity; testStrategy: string };
  /** Each attempt in its own worktree, landed through the merge queue; absent: the workdir itself (unit tests). */
  isolation?: AttemptIsolation;
  /** Control commands (`nax pause|resume|skip`): applied at the safe point before each new attempt. */
  control?: Pick<RunControl, "safePoint" | "attemptSignal">;
  /** Told every attempt's report as it settles (`nax worker` builds its result from the last one). */
  onAttempt?: (report: AttemptReport) => void;
  /** The cost question (interaction/cost-gate.ts): a reason to start no further story, or undefined. */
  costGate?: CostGate;
}

export type LoopResult =
  | { status: RunTerminalStatus; exitReason?: string; iterations: number }
  | { status: "aborted"; detail: string; iterations: number; storyId?: string };

/** The lowest lane number no running attempt holds. */
function freeLane(held: Iterable<number>): number {
  const taken = new Set(held);
  let lane = 1;
  while (taken.has(lane)) lane++;
  return lane;
}

/** A story with no attempts left (a resumed run, a changed config) fails without running. */
async function failExhausted(deps: StoryLoopDeps, story: UserStory, reason: string): Promise<void> {
  await deps.store.updateStory(story.id, (s) => ({ ...s, status: "failed" }));
  deps.bus.emit("story:failed", { storyId: story.id, reason, attempts: story.attempts });
}

function stopResult(after: Extract<AfterOutcome, { kind: "stop" }>, iterations: number, storyId: string): LoopResult {
  switch (after.reason) {
    case "aborted":
      return { status: "aborted", detail: after.detail, iterations, storyId };
    case "cost-limit":
      return { status: "failed", exitReason: `cost limit reached: ${after.detail}`, iterations };
    case "test-command-unusable":
      return {
        status: "failed",
        exitReason: `${after.detail}; fix quality.commands.test in nax/config.json`,
        iterations,
      };
    case "agent-unusable":
      return { status: "failed", exitReason: `the agent cannot be used: ${after.detail}`, iterations };
    case "state-write-failed":
      return { status: "failed", exitReason: `${after.detail}; prd.json keeps its last good save`, iterations };
    default: {
      const unreachable: never = after.reason;
      throw new Error(`unknown stop reason ${String(unreachable)}`);
    }
  }
}

/** A PRD save that failed (the store's STATE_WRITE_FAILED) becomes a clean stop; anything else is a bug and is rethrown. */
function stopOnSaveFailure(error: unknown): Extract<AfterOutcome, { kind: "stop" }> {
  if (!isNaxError(error, "STATE_WRITE_FAILED")) throw error;
  return { kind: "stop", reason: "state-write-failed", detail: error.message };
}

type NextPick =
  | { kind: "run"; story: UserStory; tier: string; attempt: number }
  | { kind: "idle" }
  | { kind: "end"; result: LoopResult };

/** The next attempt for a free lane, or why none starts now (`idle`: only stories other lanes hold are left). */
async function pickNext(deps: StoryLoopDeps, iterations: number, busy: ReadonlySet<string>): Promise<NextPick> {
  const { maxIterations } = deps.config.execution;
  for (;;) {
    if (deps.signal.aborted)
      return { kind: "end", result: { status: "aborted", detail: "stopped between stories", iterations } };
    const story = selectNextStory(deps.store.current(), busy);
    if (!story)
      return busy.size > 0
        ? { kind: "idle" }
        : { kind: "end", result: { ...describeEnd(deps.store.current()), iterations } };
    if (iterations >= maxIterations) {
      const exitReason = `iteration limit reached (maxIterations ${maxIterations})`;
      return { kind: "end", result: { status: "failed", exitReason, iterations } };
    }
    const costStop = await deps.costGate?.();
    if (costStop) return { kind: "end", result: { status: "failed", exitReason: costStop, iterations } };
    if (deps.budget.spent() >= deps.budget.limit) {
      const exitReason = `cost limit reached: ${formatCost(deps.budget.spent())} spent of ${formatCost(deps.budget.limit)}`;
      return { kind: "end", result: { status: "failed", exitReason, iterations } };
    }
    const record = createEscalationRecord(story, deps.config.autoMode.escalation, deps.startTier(story));
    const plan = planNextAttempt(record, story.attempts);
    if (plan.kind !== "exhausted") return { kind: "run", story, tier: plan.tier, attempt: plan.attempt };
    const saveFailure = await failExhausted(deps, story, plan.reason).then(() => undefined, stopOnSaveFailure);
    if (saveFailure) return { kind: "end", result: stopResult(saveFailure, iterations, story.id) };
  }
}

export async function runStoryLoop(deps: StoryLoopDeps): Promise<LoopResult> {
  const { iterationDelayMs } = deps.config.execution;
  const lanes = Math.max(1, deps.config.execution.parallel);
  let iterations = deps.iterationsSoFar ?? 0;
  const running = new Map<string, Promise<{ storyId: string; after: AfterOutcome }>>();
  const laneOf = new Map<string, number>();
  let ended: LoopResult | undefined;
  for (;;) {
    while (ended === undefined && running.size < lanes) {
      await deps.control?.safePoint(new Set(running.keys()), deps.signal);
      const pick = await pickNext(deps, iterations, new Set(running.keys()));
      if (pick.kind === "end") ended = pick.result;
      if (pick.kind === "idle") deps.isolation?.idle?.();
      if (pick.kind !== "run") break;
      if (iterations > 0 && iterationDelayMs > 0) {
        await deps.clock.sleep(iterationDelayMs, deps.signal);
        if (deps.signal.aborted) {
          ended = { status: "aborted", detail: "stopped between stories", iterations };
          break;
        }
      }
      iterations++;
      const { story } = pick;
      const lane = freeLane(laneOf.values());
      laneOf.set(story.id, lane);
      const attempt = runAttempt(deps, story, pick.tier, pick.attempt, lane)
        .then((report) => {
          deps.onAttempt?.(report);
          return report.after;
        })
        .catch(stopOnSaveFailure)
        .then((after) => ({ storyId: story.id, after }));
      running.set(story.id, attempt);
    }
    if (running.size === 0) return ended ?? { ...describeEnd(deps.store.current()), iterations };
    const settled = await Promise.race(running.values());
    running.delete(settled.storyId);
    laneOf.delete(settled.storyId);
    if (settled.after.kind !== "stop") continue;
    // The first stop decides the run's result, except that an abort wins, naming the story it interrupted.
    const stop = stopResult(settled.after, iterations, settled.storyId);
    if (ended === undefined || (stop.status === "aborted" && (ended.status !== "aborted" || !ended.storyId)))
      ended = stop;
  }
}
