/**
 * The per-story regression gate: with `regressionGate.mode: "per-story"` the
 * FULL suite runs after the story's own checks pass. A failure goes back to
 * rectify with the full-suite result (capped by `maxRectificationAttempts`),
 * then escalates. The deferred gate is the Runner's post-run step.
 */
import type { Clock } from "../../system/clock";
import { defineStage } from "../define-stage";
import type { TestRunnerLike } from "../ports";
import type { Stage } from "../stage";
import { describeFailures, failingTestNames } from "../test-failures";

export interface RegressionStageDeps {
  tests: TestRunnerLike;
  clock: Pick<Clock, "now">;
}

export function createRegressionStage(deps: RegressionStageDeps): Stage {
  return defineStage({
    name: "regression",
    clock: deps.clock,
    enabled: (ctx) => ctx.config.execution.regressionGate.mode === "per-story",
    async run(ctx) {
      const { quality, execution } = ctx.config;
      const command = quality.commands.test;
      if (!quality.requireTests || !command) return { action: "continue" };
      const { verify } = ctx.state;
      if (verify?.passed && verify.scope === "full" && ctx.state.autofixAttempts === 0) {
        // The full suite already passed on this very tree: running it again would prove nothing new.
        return { action: "continue" };
      }
      const gate = execution.regressionGate;
      const result = await deps.tests.run({
        cwd: ctx.workdir,
        command,
        scope: "full",
        timeoutMs: gate.timeoutSeconds * 1000,
        signal: ctx.signal,
      });
      if (result.passed) return { action: "continue" };
      if (result.termination === "aborted" && ctx.signal.aborted) {
        return { action: "stop", reason: "aborted", detail: "stopped during the regression gate" };
      }
      ctx.emit("regression:detected", {
        storyIds: [ctx.story.id],
        failingTests: failingTestNames(result),
        mode: "per-story",
      });
      const rounds = ctx.state.regressionAttempts ?? 0;
      if (rounds >= gate.maxRectificationAttempts) {
        return {
          action: "escalate",
          reason: `full test suite still fails after this story (${rounds} regression round(s)): ${describeFailures(result)}`,
          patch: { verify: result },
        };
      }
      return {
        action: "retry",
        fromStage: "rectify",
        reason: `regression: full suite fails: ${describeFailures(result)}`,
        // A fresh rectification budget for this round; the round cap above bounds the whole loop.
        patch: {
          verify: result,
          regressionAttempts: rounds + 1,
          rectifyAttempts: 0,
          lastRectifyFailedCount: undefined,
        },
      };
    },
  });
}
