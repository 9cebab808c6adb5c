/**
 * One story attempt, the ONE entry point every lane uses (local lanes through
 * the story loop, `nax worker` on another machine through the same loop):
 * mark the story in progress, `story:started`, open the attempt's worktree,
 * run the pipeline there, land it (the merge queue locally, a push from a
 * worker), apply the outcome to the PRD, keep whatever the attempt left.
 * Its result is an `AttemptReport`, the same type whoever runs it.
 */
import { tierChoice } from "../config/schema";
import type { EventBus } from "../events/bus";
import type { NaxEventMap } from "../events/events";
import { LANE_EVENT_TYPES } from "../events/vocabulary";
import { pinOf } from "../pipeline/agent-choice";
import type { PipelineOutcome } from "../pipeline/pipeline";
import type { StoryContext, StoryEmitter } from "../pipeline/stage";
import type { UserStory } from "../prd/schema";
import type { StoryLoopDeps } from "./story-loop";
import { type AfterOutcome, applyOutcome } from "./story-outcome";

export interface AttemptReport {
  storyId: string;
  attempt: number;
  tier: string;
  lane: number;
  /** The outcome after landing (a pass the merge queue or a push turned down is not a pass). */
  outcome: PipelineOutcome;
  /** What the loop does next. */
  after: AfterOutcome;
  /** The attempt ref its leftover work was kept at, when there was any. */
  keptRef?: string;
  durationMs: number;
}

function scopedEmitter(bus: Pick<EventBus, "emit">, storyId: string, lane: number): StoryEmitter {
  return (type, data) => {
    const scoped = LANE_EVENT_TYPES.has(type) ? { ...data, storyId, lane } : { ...data, storyId };
    bus.emit(type, scoped as unknown as NaxEventMap[typeof type]);
  };
}

/** An attempt stopped by `nax pause --now` (its signal, not the run's): the story is back to pending, the run goes on. */
function pausedNow(deps: StoryLoopDeps, ctx: StoryContext, after: AfterOutcome): AfterOutcome {
  if (after.kind !== "stop" || after.reason !== "aborted" || !ctx.signal.aborted || deps.signal.aborted) return after;
  deps.logger.warn(`${ctx.story.id} was stopped by nax pause --now; it runs again after nax resume`, {
    storyId: ctx.story.id,
  });
  return { kind: "continue" };
}

export async function runAttempt(
  deps: StoryLoopDeps,
  picked: UserStory,
  tier: string,
  attempt: number,
  laneNumber: number,
): Promise<AttemptReport> {
  const started = deps.clock.now();
  // The mark queues behind whatever holds the PRD (the checkout's fast-forward after the last landing, run
  // off the lane's path): it is saved while the worktree is made, and awaited before any session is paid for.
  const marking = deps.store.updateStory(picked.id, (s) => ({ ...s, status: "in-progress" }));
  marking.catch(() => undefined);
  const { complexity, testStrategy } = deps.classify(picked);
  const choice = tierChoice(deps.config, tier, pinOf(picked));
  deps.bus.emit("story:started", {
    storyId: picked.id,
    title: picked.title,
    attempt,
    tier,
    agent: choice.agent,
    model: choice.model,
    complexity,
    testStrategy,
    lane: laneNumber,
  });
  const lane = await deps.isolation?.open(picked.id, attempt);
  try {
    await marking;
  } catch (error) {
    // The mark could not be saved (the run stops on it): the worktree, where nothing ran, is closed first.
    const stop = { kind: "stop", reason: "aborted", detail: "the PRD could not be saved" } as const;
    if (lane) await deps.isolation?.close(lane, { ...stop, stage: undefined, state: { costUsd: 0 } });
    throw error;
  }
  const story = deps.store.story(picked.id);
  const ctx: StoryContext = {
    runId: deps.runId,
    feature: deps.feature,
    workdir: lane?.path ?? deps.workdir,
    config: deps.config,
    prd: deps.store.current(),
    story,
    attempt,
    tier,
    priorFailures: story.priorFailures ?? [],
    lane: laneNumber,
    // `nax pause --now` stops this attempt without stopping the run.
    signal: deps.control?.attemptSignal(deps.signal) ?? deps.signal,
    logger: deps.logger,
    emit: scopedEmitter(deps.bus, story.id, laneNumber),
    // The worktree was just cut from `lane.base`: the context stage need not ask git for it again.
    state: { costUsd: 0, ...(lane?.base === undefined ? {} : { baseRef: lane.base }) },
  };
  const ran = await deps.runStory(ctx);
  const outcome = lane && deps.isolation ? await deps.isolation.land(lane, ctx, ran) : ran;
  const durationMs = Math.max(0, deps.clock.now() - started);
  const applied = await applyOutcome(ctx, outcome, deps, durationMs);
  const keptRef = lane ? await deps.isolation?.close(lane, outcome) : undefined;
  const after = pausedNow(deps, ctx, applied);
  return {
    storyId: story.id,
    attempt,
    tier,
    lane: laneNumber,
    outcome,
    after,
    ...(keptRef === undefined ? {} : { keptRef }),
    durationMs,
  };
}
