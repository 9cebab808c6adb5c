/**
 * Steps 4 and 5 of a run: the story loop, then the deferred regression gate.
 * A failing gate reopens the stories it is attributed to, with the failing
 * tests recorded as a prior failure for their next prompt, and runs the loop
 * again; after `maxRectificationAttempts` rounds, or when no story explains
 * the failure, the run fails with the gate's reason (never only logged, trap 22).
 */
import type { RunControl } from "../control/run-control";
import type { EventBus } from "../events/bus";
import { type CostGate, createCostGate } from "../interaction/cost-gate";
import type { Answer, QuestionInput } from "../interaction/question";
import type { Logger } from "../logger/logger";
import type { Budget } from "../pipeline/budget";
import type { PipelineOutcome } from "../pipeline/pipeline";
import type { StoryContext } from "../pipeline/stage";
import type { Complexity, UserStory } from "../prd/schema";
import type { PrdStore } from "../prd/store";
import type { Clock } from "../system/clock";
import type { AttemptIsolation } from "./lanes";
import type { RunSetup } from "./setup";
import { type LoopResult, runStoryLoop } from "./story-loop";

export type GateResult =
  | { passed: true }
  | {
      passed: false;
      exitReason: string;
      /** Stories whose changes the failing tests are attributed to. */
      storyIds: string[];
      /** Story id → its failing tests. */
      byStory: Record<string, string[]>;
      summary: string;
    };

export interface StoryServices {
  bus: EventBus;
  logger: Logger;
  budget: Budget;
  runStory(ctx: StoryContext): Promise<PipelineOutcome>;
  classify(story: UserStory): { complexity: Complexity; testStrategy: string };
  startTier(story: UserStory): string;
  /** Every attempt in its own worktree, landed through the merge queue. */
  isolation?: AttemptIsolation;
  /** Control commands (`nax pause|resume|skip|abort`), read while the run lives. */
  control?: RunControl;
  /** The Interaction port's `ask`, when the run asks people (interaction/). */
  ask?: (question: QuestionInput) => Promise<Answer>;
  /** The post-run deferred regression gate, when configured. */
  deferredGate?(signal: AbortSignal): Promise<GateResult>;
}

export interface RunStoriesInput {
  setup: RunSetup;
  services: StoryServices;
  store: PrdStore;
  clock: Clock;
  signal: AbortSignal;
}

function loop(input: RunStoriesInput, iterationsSoFar: number, costGate?: CostGate): Promise<LoopResult> {
  const { setup, services, clock } = input;
  return runStoryLoop({
    runId: setup.runId,
    feature: setup.feature,
    workdir: setup.workdir,
    config: setup.config,
    store: input.store,
    bus: services.bus,
    logger: services.logger,
    signal: input.signal,
    clock,
    budget: services.budget,
    nowIso: () => clock.iso(),
    startTier: services.startTier,
    classify: services.classify,
    runStory: services.runStory,
    ...(services.isolation ? { isolation: services.isolation } : {}),
    ...(services.control ? { control: services.control } : {}),
    ...(services.ask ? { ask: services.ask } : {}),
    ...(costGate ? { costGate } : {}),
    iterationsSoFar,
  });
}

async function reopen(input: RunStoriesInput, gate: Extract<GateResult, { passed: false }>): Promise<void> {
  const at = input.clock.iso();
  for (const id of gate.storyIds) {
    await input.store.updateStory(id, (story) => ({
      ...story,
      status: "pending",
      priorFailures: [
        ...(story.priorFailures ?? []),
        {
          attempt: story.attempts,
          tier: story.routing?.modelTier ?? input.services.startTier(story),
          stage: "regression",
          reason: gate.exitReason,
          summary: gate.summary,
          failingTests: gate.byStory[id] ?? [],
          at,
        },
      ],
    }));
    input.services.logger.warn(`${id} reopened: the full suite fails tests its changes touched`, { storyId: id });
  }
}

export async function runStoriesAndGate(input: RunStoriesInput): Promise<LoopResult> {
  const maxRounds = input.setup.config.execution.regressionGate.maxRectificationAttempts;
  const { ask } = input.services;
  // One cost question per run, across regression rounds.
  const costGate = ask ? createCostGate(input.setup.config, input.services.budget, ask) : undefined;
  let result = await loop(input, 0, costGate);
  for (let round = 1; ; round++) {
    if (result.status !== "completed" || !input.services.deferredGate) return result;
    const gate = await input.services.deferredGate(input.signal);
    const { iterations } = result;
    if (input.signal.aborted)
      return { status: "aborted", detail: "stopped during the deferred regression gate", iterations };
    if (gate.passed) return result;
    if (round > maxRounds || gate.storyIds.length === 0) {
      const rounds = round > 1 ? ` (after ${round - 1} rectification round${round > 2 ? "s" : ""})` : "";
      return { status: "failed", exitReason: `${gate.exitReason}${rounds}`, iterations };
    }
    await reopen(input, gate);
    result = await loop(input, iterations, costGate);
  }
}
