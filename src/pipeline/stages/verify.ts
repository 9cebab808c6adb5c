/**
 * The verify stage: runs the tests after the agent's work, every attempt,
 * also one that changed nothing (trap 22). The smart test runner may narrow
 * the run to the tests of the changed files (the effective command is
 * logged); a failure is left as data in `state.verify` for rectify to act
 * on. With `requireTests` off (the user's explicit opt-out) verification is
 * skipped and the attempt is marked unverified; with no test command it fails
 * closed (trap 28, docs/traps.md): `nax run` refuses that config before any
 * story, so only a caller that bypassed the check gets here.
 */

import { UNVERIFIED_REASON } from "../../config/test-policy";
import { errorMessage } from "../../errors";
import type { Clock } from "../../system/clock";
import { unusableTestCommand } from "../../verification/unusable-command";
import { defineStage, type StageSpec } from "../define-stage";
import { recordGate } from "../gate-record";
import type { TestPlanLike, TestPlanner, TestRunnerLike } from "../ports";
import type { Stage, StageResult, StoryContext } from "../stage";

export interface VerifyStageDeps {
  tests: TestRunnerLike;
  /** The smart test runner; absent means always the full suite. */
  planner?: TestPlanner;
  clock: Pick<Clock, "now">;
}

async function planTests(ctx: StoryContext, deps: VerifyStageDeps, fullCommand: string): Promise<TestPlanLike> {
  const full = (reason: string): TestPlanLike => ({ scope: "full", command: fullCommand, reason });
  if (!deps.planner) return full("no smart test runner");
  try {
    return await deps.planner.plan({
      cwd: ctx.workdir,
      ...(ctx.state.baseRef === undefined ? {} : { baseRef: ctx.state.baseRef }),
      smartTestRunner: ctx.config.execution.smartTestRunner,
      commands: ctx.config.quality.commands,
    });
  } catch (error) {
    // Narrowing is an optimisation: when it cannot be computed, the full suite is the safe answer.
    ctx.logger.warn(`smart test selection failed, running the full suite: ${errorMessage(error)}`, {
      storyId: ctx.story.id,
      stage: "verify",
    });
    return full("selection failed");
  }
}

function unverified(ctx: StoryContext, why: string): StageResult {
  ctx.logger.warn(`verification skipped, the story will pass unverified: ${why}`, {
    storyId: ctx.story.id,
    stage: "verify",
  });
  return { action: "continue", patch: { verify: undefined, unverified: why } };
}

function noTestCommand(why: string): StageResult {
  return {
    action: "fail",
    reason: `nothing can verify this story: ${why}; set quality.commands.test in nax/config.json`,
  };
}

/** The verify gate's spec: the gate/repair combinator pairs it with rectify. */
export function verifyGate(deps: VerifyStageDeps): StageSpec {
  return {
    name: "verify",
    clock: deps.clock,
    async run(ctx) {
      const { quality, execution } = ctx.config;
      if (!quality.requireTests) return unverified(ctx, UNVERIFIED_REASON);
      if (!quality.commands.test) return noTestCommand("no quality.commands.test is configured");
      const plan = await planTests(ctx, deps, quality.commands.test);
      if (plan.scope === "none") return noTestCommand(plan.reason);
      // The reason is in the message, not only in data: a user must see why the suite was (not) narrowed.
      ctx.logger.info(`verify (${plan.scope}): ${plan.command} [${plan.reason}]`, {
        storyId: ctx.story.id,
        stage: "verify",
        data: { reason: plan.reason },
      });
      const result = await deps.tests.run({
        cwd: ctx.workdir,
        command: plan.command,
        scope: plan.scope,
        timeoutMs: execution.verificationTimeoutSeconds * 1000,
        signal: ctx.signal,
      });
      ctx.emit("verify:completed", {
        passed: result.passed,
        command: result.command,
        scope: result.scope,
        passedCount: result.passedCount,
        failedCount: result.failedCount,
        durationMs: result.durationMs,
        ...(result.passed ? {} : { summary: result.summary.slice(0, 2000) }),
      });
      const gates = recordGate(ctx, {
        gate: "verify",
        command: result.command,
        exitCode: result.exitCode,
        passed: result.passed,
        passedCount: result.passedCount,
        failedCount: result.failedCount,
        durationMs: result.durationMs,
        scope: result.scope,
      });
      const unusable = unusableTestCommand(result);
      if (unusable) {
        // No agent session can install a missing command: stop now instead of spending every tier (not the story's fault).
        return {
          action: "stop",
          reason: "test-command-unusable",
          detail: unusable,
          patch: { verify: result, ...gates },
        };
      }
      if (result.termination === "aborted" && ctx.signal.aborted) {
        return {
          action: "stop",
          reason: "aborted",
          detail: "stopped during verification",
          patch: { verify: result, ...gates },
        };
      }
      return { action: "continue", patch: { verify: result, ...gates } };
    },
  };
}

export function createVerifyStage(deps: VerifyStageDeps): Stage {
  return defineStage(verifyGate(deps));
}
