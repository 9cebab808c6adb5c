/**
 * The verify stage: runs the tests after the agent's work, every attempt,
 * also one that changed nothing (trap 22). The smart selector may narrow the
 * run to the tests of the changed files; a failure is left as data in
 * `state.verify` for rectify to act on. No test command configured (or
 * `requireTests` off) skips verification with a warning, not an error.
 */
import { errorMessage } from "../../errors";
import type { Clock } from "../../system/clock";
import { defineStage } from "../define-stage";
import type { GitLike, SmartSelector, TestRunnerLike, TestSelection } from "../ports";
import type { Stage, StoryContext } from "../stage";

export interface VerifyStageDeps {
  tests: TestRunnerLike;
  /** Absent: always the full suite. */
  select?: SmartSelector;
  git: Pick<GitLike, "changedFiles">;
  clock: Pick<Clock, "now">;
}

async function chooseTests(ctx: StoryContext, deps: VerifyStageDeps, fullCommand: string): Promise<TestSelection> {
  const full: TestSelection = { command: fullCommand, scope: "full" };
  const { baseRef } = ctx.state;
  if (!ctx.config.execution.smartTestRunner.enabled || !deps.select) return { ...full, reason: "smart runner off" };
  if (!baseRef) return { ...full, reason: "no base commit to diff against" };
  try {
    const changedFiles = await deps.git.changedFiles(ctx.workdir, baseRef);
    return await deps.select({ cwd: ctx.workdir, baseRef, config: ctx.config, changedFiles });
  } catch (error) {
    // Narrowing is an optimisation: when it cannot be computed, the full suite is the safe answer.
    ctx.logger.warn(`smart test selection failed, running the full suite: ${errorMessage(error)}`, {
      storyId: ctx.story.id,
      stage: "verify",
    });
    return { ...full, reason: "selection failed" };
  }
}

export function createVerifyStage(deps: VerifyStageDeps): Stage {
  return defineStage({
    name: "verify",
    clock: deps.clock,
    async run(ctx) {
      const { quality, execution } = ctx.config;
      const command = quality.commands.test;
      if (!quality.requireTests || !command) {
        const why = quality.requireTests ? "no quality.commands.test is configured" : "quality.requireTests is false";
        ctx.logger.warn(`verification skipped: ${why}`, { storyId: ctx.story.id, stage: "verify" });
        return { action: "continue", patch: { verify: undefined } };
      }
      const selection = await chooseTests(ctx, deps, command);
      ctx.logger.info(`verify (${selection.scope}): ${selection.command}`, {
        storyId: ctx.story.id,
        stage: "verify",
        ...(selection.reason ? { data: { reason: selection.reason } } : {}),
      });
      const result = await deps.tests.run({
        cwd: ctx.workdir,
        command: selection.command,
        scope: selection.scope,
        timeoutMs: execution.verificationTimeoutSeconds * 1000,
        signal: ctx.signal,
        stripEnvVars: quality.stripEnvVars,
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
      if (result.termination === "aborted" && ctx.signal.aborted) {
        return { action: "stop", reason: "aborted", detail: "stopped during verification", patch: { verify: result } };
      }
      return { action: "continue", patch: { verify: result } };
    },
  });
}
