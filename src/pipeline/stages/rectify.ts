/**
 * The rectify stage: acts on a failed verification. While rounds remain it
 * hands the failing tests to the agent and sends control back to `verify`;
 * only when rectification is exhausted (or disabled, or making things worse)
 * does the story escalate, with the failing tests in the reason.
 */
import { buildRectifyPrompt } from "../../prompt/repair-prompt";
import type { TestRunResult } from "../../verification/types";
import { type AgentSessionDeps, costLimitOutcome, runAgentSession, sessionStopResult } from "../agent-session";
import { defineStage } from "../define-stage";
import type { Stage, StageResult, StoryContext } from "../stage";
import { describeFailures } from "../test-failures";

/**
 * The failing count a verification really measured: a run that timed out or
 * was stopped did not finish, so its count is unknown, not "0 failing" (a
 * hang that turns into one real failure is progress, not "worse").
 */
export function measuredFailures(verify: TestRunResult): number | undefined {
  return verify.termination === "exited" ? verify.failedCount : undefined;
}

function giveUp(ctx: StoryContext): StageResult | undefined {
  const verify = ctx.state.verify;
  if (!verify) return undefined;
  const { enabled, maxRetries, abortOnIncreasingFailures } = ctx.config.execution.rectification;
  const failing = describeFailures(verify);
  if (!enabled) return { action: "escalate", reason: `tests failing (rectification disabled): ${failing}` };
  if (ctx.state.rectifyAttempts >= maxRetries) {
    return {
      action: "escalate",
      reason: `tests still failing after ${ctx.state.rectifyAttempts} rectification round(s): ${failing}`,
    };
  }
  const before = ctx.state.lastRectifyFailedCount;
  const now = measuredFailures(verify);
  if (abortOnIncreasingFailures && before !== undefined && now !== undefined && now > before) {
    return {
      action: "escalate",
      reason: `rectification made it worse: failing tests went from ${before} to ${now}: ${failing}`,
    };
  }
  return undefined;
}

export function createRectifyStage(deps: AgentSessionDeps): Stage {
  return defineStage({
    name: "rectify",
    clock: deps.clock,
    enabled: (ctx) => ctx.state.verify !== undefined && !ctx.state.verify.passed,
    async run(ctx) {
      const verify = ctx.state.verify;
      if (!verify) throw new Error("rectify ran without a verification result");
      const stopHere = giveUp(ctx);
      if (stopHere) return stopHere;
      const overBudget = costLimitOutcome(deps.budget, "rectify");
      if (overBudget) return { action: "stop", reason: "cost-limit", detail: overBudget.detail };
      const round = ctx.state.rectifyAttempts + 1;
      ctx.emit("rectify:started", { attempt: round, failingTests: verify.failedCount });
      const outcome = await runAgentSession(ctx, deps, {
        purpose: "rectify",
        prompt: buildRectifyPrompt({ story: ctx.story, verify, round }),
      });
      const sessionPassed = outcome.kind === "done" && outcome.result.outcome === "success";
      ctx.emit("rectify:completed", { attempt: round, passed: sessionPassed });
      const patch = { rectifyAttempts: round, lastRectifyFailedCount: measuredFailures(verify) };
      const stop = sessionStopResult(outcome);
      if (stop) return { ...stop, patch: { ...stop.patch, ...patch } };
      if (!sessionPassed && outcome.kind === "done") {
        ctx.logger.warn(`rectify session ended with ${outcome.result.outcome}; verifying what it left`, {
          storyId: ctx.story.id,
          stage: "rectify",
        });
      }
      return {
        action: "retry",
        fromStage: "verify",
        reason: `rectify round ${round}: ${describeFailures(verify)}`,
        patch,
      };
    },
  });
}
