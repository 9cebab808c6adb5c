/**
 * The per-story regression gate: with `regressionGate.mode: "per-story"` the
 * FULL suite runs after the story's own checks pass. Its repair (decided in
 * the same stage by the gate/repair combinator) sends a failure back to
 * rectify with the full-suite result, capped by `maxRectificationAttempts`,
 * then escalates. The deferred gate is the Runner's post-run step.
 */
import type { Clock } from "../../system/clock";
import type { StageSpec } from "../define-stage";
import { recordGate } from "../gate-record";
import { type Repair, repairsUsed } from "../gate-repair";
import type { TestRunnerLike } from "../ports";
import type { StoryContext } from "../stage";
import { describeFailures, failingTestNames } from "../test-failures";

export interface RegressionStageDeps {
  tests: TestRunnerLike;
  clock: Pick<Clock, "now">;
}

export function regressionGate(deps: RegressionStageDeps): StageSpec {
  return {
    name: "regression",
    clock: deps.clock,
    enabled: (ctx) => ctx.config.execution.regressionGate.mode === "per-story",
    async run(ctx) {
      const { quality, execution } = ctx.config;
      const command = quality.commands.test;
      const settled = { regression: undefined };
      if (!quality.requireTests || !command) return { action: "continue", patch: settled };
      const { verify } = ctx.state;
      if (verify?.passed && verify.scope === "full" && repairsUsed(ctx.state, "autofix") === 0) {
        // The full suite already passed on this very tree: running it again would prove nothing new.
        return { action: "continue", patch: settled };
      }
      const result = await deps.tests.run({
        cwd: ctx.workdir,
        command,
        scope: "full",
        timeoutMs: execution.regressionGate.timeoutSeconds * 1000,
        signal: ctx.signal,
      });
      const gates = recordGate(ctx, {
        gate: "regression",
        command: result.command,
        exitCode: result.exitCode,
        passed: result.passed,
        passedCount: result.passedCount,
        failedCount: result.failedCount,
        durationMs: result.durationMs,
        scope: "full",
      });
      if (result.passed) return { action: "continue", patch: { ...settled, ...gates } };
      if (result.termination === "aborted" && ctx.signal.aborted) {
        return { action: "stop", reason: "aborted", detail: "stopped during the regression gate", patch: gates };
      }
      ctx.emit("regression:detected", {
        storyIds: [ctx.story.id],
        failingTests: failingTestNames(result),
        mode: "per-story",
      });
      return { action: "continue", patch: { regression: result, ...gates } };
    },
  };
}

function fullSuite(ctx: StoryContext) {
  const result = ctx.state.regression;
  if (!result) throw new Error("the regression repair ran without a full-suite result");
  return result;
}

/** A failing full suite goes back to rectify with a fresh rectification budget; the round cap bounds the whole loop. */
export function regressionRepair(): Repair {
  return {
    name: "regression",
    inline: true,
    needsRepair: (state) => state.regression !== undefined && !state.regression.passed,
    cap: (config) => config.execution.regressionGate.maxRectificationAttempts,
    exhausted(ctx, used) {
      const result = fullSuite(ctx);
      return {
        action: "escalate",
        reason: `full test suite still fails after this story (${used} regression round(s)): ${describeFailures(result)}`,
        patch: { verify: result },
      };
    },
    async round(ctx) {
      const result = fullSuite(ctx);
      return {
        action: "retry",
        fromStage: "rectify",
        reason: `regression: full suite fails: ${describeFailures(result)}`,
        patch: { verify: result, repairs: { rectify: 0 }, lastRectifyFailedCount: undefined },
      };
    },
  };
}
