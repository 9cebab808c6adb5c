/**
 * The autofix repair: acts on a failed review (paired with it by the
 * gate/repair combinator, which holds the attempt counter and the cap). Each attempt first runs the
 * mechanical fixers (lintFix, formatFix) and sends control back to `review`;
 * if that was not enough, the agent gets the lint/typecheck output and
 * control goes back to `verify` (an agent's edit can break tests, so they
 * run again before the review). The next time this stage runs it knows
 * whether the attempt worked and reports `autofix:completed` once. Only when
 * attempts are exhausted does the story escalate.
 */
import { buildAutofixPrompt } from "../../prompt/repair-prompt";
import type { ReviewResult } from "../../verification/types";
import { type AgentSessionDeps, runAgentSession, sessionStopResult } from "../agent-session";
import type { Repair } from "../gate-repair";
import type { ReviewerLike } from "../ports";
import type { StageResult, StoryContext } from "../stage";
import { frozenTestRulesOf, frozenTestsOf } from "../tdd-prompts";

export interface AutofixStageDeps extends AgentSessionDeps {
  reviewer: ReviewerLike;
}

function failedChecks(review: ReviewResult | undefined): string {
  return (review?.checks ?? [])
    .filter((c) => !c.passed)
    .map((c) => c.name)
    .join(", ");
}

async function agentStep(ctx: StoryContext, deps: AutofixStageDeps, attempt: number): Promise<StageResult> {
  const review = ctx.state.review;
  if (!review) throw new Error("autofix ran without a review result");
  const outcome = await runAgentSession(ctx, deps, {
    purpose: "autofix",
    prompt: buildAutofixPrompt({ story: ctx.story, review, ...frozenTestsOf(ctx) }),
    ...frozenTestRulesOf(ctx),
  });
  const stop = sessionStopResult(outcome);
  if (stop) {
    ctx.emit("autofix:completed", { attempt, passed: false, mechanical: false });
    return { ...stop, patch: { ...stop.patch, autofixPending: undefined } };
  }
  return {
    action: "retry",
    fromStage: "verify",
    reason: `autofix attempt ${attempt}: the agent fixed ${failedChecks(review)}`,
    patch: { autofixPending: { attempt, step: "agent" } },
  };
}

async function startAttempt(ctx: StoryContext, deps: AutofixStageDeps, attempt: number): Promise<StageResult> {
  const { commands } = ctx.config.quality;
  const failing = failedChecks(ctx.state.review);
  ctx.emit("autofix:started", { attempt, problems: failing });
  const fixers = [commands.lintFix, commands.formatFix].filter((c): c is string => Boolean(c));
  if (fixers.length === 0) return agentStep(ctx, deps, attempt);
  const report = await deps.reviewer.runFixCommands({
    cwd: ctx.workdir,
    commands,
    timeoutMs: ctx.config.execution.verificationTimeoutSeconds * 1000,
    signal: ctx.signal,
  });
  ctx.logger.debug(`autofix attempt ${attempt}: ran ${fixers.join(" && ")}`, {
    storyId: ctx.story.id,
    stage: "autofix",
    data: { report },
  });
  return {
    action: "retry",
    fromStage: "review",
    reason: `autofix attempt ${attempt}: mechanical fixers ran for ${failing}`,
    // The fixers rewrite files: the tree a gate ran on before is no longer the tree.
    patch: { autofixPending: { attempt, step: "mechanical" }, edits: (ctx.state.edits ?? 0) + 1 },
  };
}

/** Reports the open attempt's effect once the review has run again; `undefined` when a new attempt is due. */
async function settle(ctx: StoryContext, deps: AutofixStageDeps): Promise<StageResult | undefined> {
  const pending = ctx.state.autofixPending;
  if (!pending) return undefined;
  const mechanical = pending.step === "mechanical";
  if (ctx.state.review === undefined || ctx.state.review.passed) {
    ctx.emit("autofix:completed", { attempt: pending.attempt, passed: true, mechanical });
    return { action: "continue", patch: { autofixPending: undefined } };
  }
  if (mechanical) return agentStep(ctx, deps, pending.attempt);
  ctx.emit("autofix:completed", { attempt: pending.attempt, passed: false, mechanical: false });
  return undefined;
}

export function autofixRepair(deps: AutofixStageDeps): Repair {
  const settled = { autofixPending: undefined };
  return {
    name: "autofix",
    needsRepair: (state) => state.review !== undefined && !state.review.passed,
    pending: (state) => state.autofixPending !== undefined,
    settle: (ctx) => settle(ctx, deps),
    disabled(ctx) {
      if (ctx.config.quality.autofix.enabled) return undefined;
      const reason = `quality checks failing (autofix disabled): ${failedChecks(ctx.state.review)}`;
      return { action: "escalate", reason, patch: settled };
    },
    cap: (config) => config.quality.autofix.maxAttempts,
    exhausted: (ctx, used) => ({
      action: "escalate",
      reason: `quality checks still failing after ${used} autofix attempt(s): ${failedChecks(ctx.state.review)}`,
      patch: settled,
    }),
    round: (ctx, attempt) => startAttempt(ctx, deps, attempt),
  };
}
