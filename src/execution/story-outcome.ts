/**
 * Applying one pipeline outcome to the PRD and the bus: the story's status,
 * attempts, recorded failure, escalation and routing, then exactly one story
 * event per outcome (trap 12), emitted after the save so that its counts are
 * the saved ones. A run-level stop spends no attempt.
 */
import type { NaxConfig } from "../config/schema";
import type { EventBus } from "../events/bus";
import type { Answer, QuestionInput } from "../interaction/question";
import type { Budget } from "../pipeline/budget";
import type { PipelineOutcome } from "../pipeline/pipeline";
import type { RoutingDecision, StoryContext } from "../pipeline/stage";
import { countStories } from "../prd/counts";
import { ComplexitySchema, type PriorFailure, type StoryRouting, type UserStory } from "../prd/schema";
import type { PrdStore } from "../prd/store";
import { createEscalationRecord, decideAfterFailure, type FailureDecision } from "./escalation";
import { askAboutSpentTiers } from "./spent-tiers";

export interface OutcomeDeps {
  config: NaxConfig;
  store: PrdStore;
  bus: Pick<EventBus, "emit">;
  nowIso: () => string;
  /** The tier a story's ladder starts on (its first attempt's tier). */
  startTier: (story: UserStory) => string;
  /** The run's spend per story, so a story's cost covers all its attempts, not only the one that passed. */
  budget: Pick<Budget, "spentOn">;
  /** The Interaction port, when the run asks people (interaction.triggers); absent: nothing is asked. */
  ask?: (question: QuestionInput) => Promise<Answer>;
}

/** `state-write-failed`: prd.json could not be saved; going on would run stories whose outcome cannot be kept. */
export type StopReason = "cost-limit" | "aborted" | "agent-unusable" | "test-command-unusable" | "state-write-failed";
export type AfterOutcome = { kind: "continue" } | { kind: "stop"; reason: StopReason; detail: string };

const SUMMARY_LIMIT = 4000;
const FAILING_TESTS_LIMIT = 50;

export function toStoryRouting(decision: RoutingDecision, previous?: StoryRouting): StoryRouting {
  const complexity = ComplexitySchema.safeParse(decision.complexity);
  return {
    ...previous,
    ...(complexity.success ? { complexity: complexity.data } : {}),
    modelTier: decision.tier,
    testStrategy: decision.testStrategy,
    reasoning: decision.reasoning,
  };
}

/** What kind of failure, when it is not plain failing tests or checks: read by `nax diagnose`. */
function categoryOf(outcome: PipelineOutcome): { category?: string } {
  if (outcome.state.failureCategory) return { category: outcome.state.failureCategory };
  // A hang has unknown counts: "did not finish", never "0 failing" (its fix is the verification timeout).
  if (outcome.state.verify?.termination === "timeout") return { category: "verification-timeout" };
  return {};
}

/** The failure an attempt leaves for the next one's prompt: what broke, where, and which tests. */
export function failureFrom(ctx: StoryContext, outcome: PipelineOutcome, at: string): PriorFailure {
  const { verify, review } = outcome.state;
  const failedChecks = review && !review.passed ? review.checks.filter((c) => !c.passed) : [];
  let summary = outcome.reason;
  if (verify && !verify.passed) summary = verify.summary || outcome.reason;
  else if (failedChecks.length > 0) summary = failedChecks.map((c) => `${c.name}: ${c.output}`).join("\n");
  return {
    attempt: ctx.attempt,
    tier: ctx.tier,
    stage: outcome.stage ?? "pipeline",
    reason: outcome.reason,
    summary: summary.length > SUMMARY_LIMIT ? `${summary.slice(0, SUMMARY_LIMIT)}…` : summary,
    failingTests: verify && !verify.passed ? verify.failures.slice(0, FAILING_TESTS_LIMIT).map((f) => f.name) : [],
    ...categoryOf(outcome),
    at,
  };
}

function withRouting(story: UserStory, outcome: PipelineOutcome): UserStory {
  const decision = outcome.state.routing;
  return decision ? { ...story, routing: toStoryRouting(decision, story.routing) } : story;
}

async function applyFailure(ctx: StoryContext, outcome: PipelineOutcome, deps: OutcomeDeps): Promise<void> {
  const id = ctx.story.id;
  const at = deps.nowIso();
  const failure = failureFrom(ctx, outcome, at);
  let decision: FailureDecision = { kind: "exhausted", tier: ctx.tier, reason: "the story failed outright" };
  // Out of tiers with the question on: the story waits `paused` for the answer instead of failing at once.
  const ask = outcome.kind === "escalate" && deps.config.interaction.triggers.tiersExhausted ? deps.ask : undefined;
  await deps.store.updateStory(id, (story) => {
    const failed = withRouting(
      { ...story, attempts: ctx.attempt, priorFailures: [...(story.priorFailures ?? []), failure] },
      outcome,
    );
    if (outcome.kind !== "escalate") return { ...failed, status: "failed" };
    const record = createEscalationRecord(failed, deps.config.autoMode.escalation, deps.startTier(story));
    decision = decideAfterFailure(record, ctx.tier);
    if (decision.kind === "exhausted") return { ...failed, status: ask ? "paused" : "failed" };
    if (decision.kind === "retry") return { ...failed, status: "pending" };
    const escalation = { fromTier: decision.fromTier, toTier: decision.toTier, reason: outcome.reason, at };
    return { ...failed, status: "pending", escalations: [...(story.escalations ?? []), escalation] };
  });
  const settled = decision as FailureDecision;
  if (settled.kind === "escalate") {
    deps.bus.emit("story:escalated", {
      storyId: id,
      fromTier: settled.fromTier,
      toTier: settled.toTier,
      reason: outcome.reason,
    });
  } else if (settled.kind === "exhausted") {
    const reason = outcome.kind === "escalate" ? `${outcome.reason} (${settled.reason})` : outcome.reason;
    if (ask) {
      if ((await askAboutSpentTiers(ctx, { ...deps, ask }, settled.reason)) === "settled") return;
      await deps.store.updateStory(id, (s) => ({ ...s, status: "failed" }));
    }
    deps.bus.emit("story:failed", {
      storyId: id,
      reason,
      attempts: ctx.attempt,
      ...(outcome.stage === undefined ? {} : { stage: outcome.stage }),
      counts: countStories(deps.store.current()),
    });
  }
}

export async function applyOutcome(
  ctx: StoryContext,
  outcome: PipelineOutcome,
  deps: OutcomeDeps,
  durationMs: number,
): Promise<AfterOutcome> {
  const id = ctx.story.id;
  switch (outcome.kind) {
    case "passed": {
      // The completion stage normally marked it passed before committing; saving again would dirty the tree.
      if (deps.store.story(id).status !== "passed") {
        await deps.store.updateStory(id, (s) =>
          withRouting({ ...s, status: "passed", attempts: ctx.attempt }, outcome),
        );
      }
      deps.bus.emit("story:completed", {
        storyId: id,
        attempts: ctx.attempt,
        costUsd: deps.budget.spentOn(id),
        durationMs,
        ...(outcome.state.commit === undefined ? {} : { commit: outcome.state.commit }),
        counts: countStories(deps.store.current()),
      });
      return { kind: "continue" };
    }
    case "escalate":
    case "fail":
      await applyFailure(ctx, outcome, deps);
      return { kind: "continue" };
    case "skip":
      await deps.store.updateStory(id, (s) => ({ ...s, status: "skipped" }));
      deps.bus.emit("log", { level: "info", message: `${id} skipped: ${outcome.reason}`, storyId: id });
      return { kind: "continue" };
    case "pause":
      await deps.store.updateStory(id, (s) => ({ ...s, status: "paused" }));
      deps.bus.emit("story:paused", {
        storyId: id,
        reason: outcome.reason,
        counts: countStories(deps.store.current()),
      });
      return { kind: "continue" };
    case "stop":
      // Not the story's fault: it goes back to pending with its attempts untouched.
      await deps.store.updateStory(id, (s) => ({ ...s, status: "pending" }));
      return { kind: "stop", reason: outcome.reason, detail: outcome.detail };
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown pipeline outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The completion stage's PRD writer: marks the story passed (with its routing) in one atomic save. */
export function createPrdCompletion(store: PrdStore): {
  markPassed(
    storyId: string,
    details: { routing: RoutingDecision | undefined; attempts: number; verified: boolean },
  ): Promise<void>;
} {
  return {
    async markPassed(storyId, details) {
      await store.updateStory(storyId, (story) => {
        // A verified pass clears an earlier unverified mark; an unverified one records it (trap 28).
        const { verified: _previous, ...rest } = story;
        return {
          ...rest,
          status: "passed",
          attempts: details.attempts,
          ...(details.verified ? {} : { verified: false as const }),
          ...(details.routing ? { routing: toStoryRouting(details.routing, story.routing) } : {}),
        };
      });
    },
  };
}
