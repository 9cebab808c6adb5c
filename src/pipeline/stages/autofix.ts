/**
 * The autofix stage: acts on a failed review. Each attempt first runs the
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
import { defineStage } from "../define-stage";
import type { ReviewerLike } from "../ports";
import type { Stage, StageResult, StoryContext } from "../stage";

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
    prompt: buildAutofixPrompt({ story: ctx.story, review }),
  });
  const stop = sessionStopResult(outcome);
  if (stop) {
    ctx.emit("autofix:completed", { attempt, passed: false, mechanical: false });
    return { ...stop, patch: { ...stop.patch, autofixAttempts: attempt, autofixPending: undefined } };
  }
  return {
    action: "retry",
    fromStage: "verify",
    reason: `autofix attempt ${attempt}: the agent fixed ${failedChecks(review)}`,
    patch: { autofixAttempts: attempt, autofixPending: { attempt, step: "agent" } },
  };
}

async function startAttempt(ctx: StoryContext, deps: AutofixStageDeps): Promise<StageResult> {
  const { autofix, commands } = ctx.config.quality;
  const failing = failedChecks(ctx.state.review);
  const settled = { autofixPending: undefined };
  if (!autofix.enabled) {
    return { action: "escalate", reason: `quality checks failing (autofix disabled): ${failing}`, patch: settled };
  }
  if (ctx.state.autofixAttempts >= autofix.maxAttempts) {
    return {
      action: "escalate",
      reason: `quality checks still failing after ${ctx.state.autofixAttempts} autofix attempt(s): ${failing}`,
      patch: settled,
    };
  }
  const attempt = ctx.state.autofixAttempts + 1;
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
    patch: { autofixAttempts: attempt, autofixPending: { attempt, step: "mechanical" } },
  };
}

export function createAutofixStage(deps: AutofixStageDeps): Stage {
  return defineStage({
    name: "autofix",
    clock: deps.clock,
    enabled: (ctx) =>
      ctx.state.autofixPending !== undefined || (ctx.state.review !== undefined && !ctx.state.review.passed),
    async run(ctx) {
      const pending = ctx.state.autofixPending;
      const reviewPassed = ctx.state.review === undefined || ctx.state.review.passed;
      if (pending) {
        const mechanical = pending.step === "mechanical";
        if (reviewPassed) {
          ctx.emit("autofix:completed", { attempt: pending.attempt, passed: true, mechanical });
          return { action: "continue", patch: { autofixPending: undefined } };
        }
        if (mechanical) return agentStep(ctx, deps, pending.attempt);
        ctx.emit("autofix:completed", { attempt: pending.attempt, passed: false, mechanical: false });
      }
      return startAttempt(ctx, deps);
    },
  });
}
