/**
 * The rectify repair: acts on a failed verification. While rounds remain it
 * hands the failing tests to the agent and sends control back to `verify`;
 * only when rectification is exhausted (or disabled, or making things worse)
 * does the story escalate, with the failing tests in the reason. The
 * gate/repair combinator (gate-repair.ts) decides when a round may start.
 */
import { buildRectifyPrompt } from "../../prompt/repair-prompt";
import type { TestRunResult } from "../../verification/types";
import { type AgentSessionDeps, costLimitOutcome, runAgentSession, sessionStopResult } from "../agent-session";
import type { Repair } from "../gate-repair";
import type { StageResult, StoryContext } from "../stage";
import { frozenTestRulesOf, frozenTestsOf } from "../tdd-prompts";
import { describeFailures } from "../test-failures";

/**
 * The failing count a verification really measured: a run that timed out or
 * was stopped did not finish, so its count is unknown, not "0 failing" (a
 * hang that turns into one real failure is progress, not "worse").
 */
export function measuredFailures(verify: TestRunResult): number | undefined {
  return verify.termination === "exited" ? verify.failedCount : undefined;
}

/** Rectify acts on a failed verification; the gate/repair combinator holds its round counter and cap. */
export function rectifyRepair(deps: AgentSessionDeps): Repair {
  return {
    name: "rectify",
    needsRepair: (state) => state.verify !== undefined && !state.verify.passed,
    disabled(ctx) {
      if (ctx.config.execution.rectification.enabled) return undefined;
      return { action: "escalate", reason: `tests failing (rectification disabled): ${failingOf(ctx)}` };
    },
    cap: (config) => config.execution.rectification.maxRetries,
    exhausted: (ctx, used) => ({
      action: "escalate",
      reason: `tests still failing after ${used} rectification round(s): ${failingOf(ctx)}`,
    }),
    before(ctx) {
      const verify = ctx.state.verify;
      const before = ctx.state.lastRectifyFailedCount;
      const now = verify ? measuredFailures(verify) : undefined;
      if (ctx.config.execution.rectification.abortOnIncreasingFailures && before !== undefined && now !== undefined) {
        if (now > before) {
          return {
            action: "escalate",
            reason: `rectification made it worse: failing tests went from ${before} to ${now}: ${failingOf(ctx)}`,
          };
        }
      }
      const overBudget = costLimitOutcome(deps.budget, "rectify");
      return overBudget ? { action: "stop", reason: "cost-limit", detail: overBudget.detail } : undefined;
    },
    round: (ctx, round) => rectifyRound(ctx, deps, round),
  };
}

function failingOf(ctx: StoryContext): string {
  return ctx.state.verify ? describeFailures(ctx.state.verify) : "no verification result";
}

async function rectifyRound(ctx: StoryContext, deps: AgentSessionDeps, round: number): Promise<StageResult> {
  const verify = ctx.state.verify;
  if (!verify) throw new Error("rectify ran without a verification result");
  ctx.emit("rectify:started", { attempt: round, failingTests: verify.failedCount });
  const outcome = await runAgentSession(ctx, deps, {
    purpose: "rectify",
    prompt: buildRectifyPrompt({ story: ctx.story, verify, round, ...frozenTestsOf(ctx) }),
    ...frozenTestRulesOf(ctx),
  });
  const sessionPassed = outcome.kind === "done" && outcome.result.outcome === "success";
  ctx.emit("rectify:completed", { attempt: round, passed: sessionPassed });
  const patch = { lastRectifyFailedCount: measuredFailures(verify) };
  const stop = sessionStopResult(outcome);
  if (stop) return { ...stop, patch: { ...stop.patch, ...patch } };
  if (!sessionPassed && outcome.kind === "done") {
    ctx.logger.warn(`rectify session ended with ${outcome.result.outcome}; verifying what it left`, {
      storyId: ctx.story.id,
      stage: "rectify",
    });
  }
  return { action: "retry", fromStage: "verify", reason: `rectify round ${round}: ${describeFailures(verify)}`, patch };
}
