/**
 * The review stage: runs the configured lint and typecheck commands. A
 * failure is left as data in `state.review` for autofix to act on; nothing
 * configured (or required) means there is nothing to review.
 */
import type { Clock } from "../../system/clock";
import type { StageSpec } from "../define-stage";
import { recordGate } from "../gate-record";
import type { ReviewerLike } from "../ports";

export interface ReviewStageDeps {
  reviewer: ReviewerLike;
  clock: Pick<Clock, "now">;
}

/** The review gate's spec: the gate/repair combinator pairs it with autofix. */
export function reviewGate(deps: ReviewStageDeps): StageSpec {
  return {
    name: "review",
    clock: deps.clock,
    async run(ctx) {
      const { commands, requireLint, requireTypecheck } = ctx.config.quality;
      const wanted =
        (requireLint && commands.lint) ||
        (requireTypecheck && commands.typecheck) ||
        deps.reviewer.extraGates?.().length;
      if (!wanted) {
        ctx.logger.debug("review: no lint or typecheck command required", { storyId: ctx.story.id, stage: "review" });
        return { action: "continue", patch: { review: undefined } };
      }
      const review = await deps.reviewer.review({
        cwd: ctx.workdir,
        commands,
        requireLint,
        requireTypecheck,
        timeoutMs: ctx.config.execution.verificationTimeoutSeconds * 1000,
        signal: ctx.signal,
      });
      const gates = recordGate(
        ctx,
        ...review.checks.map((check) => ({
          gate: check.name,
          command: check.command,
          exitCode: check.exitCode,
          passed: check.passed,
          durationMs: check.durationMs,
        })),
      );
      if (ctx.signal.aborted && review.checks.some((check) => check.termination === "aborted")) {
        return { action: "stop", reason: "aborted", detail: "stopped during review", patch: { review, ...gates } };
      }
      if (!review.passed) {
        const failed = review.checks.filter((c) => !c.passed).map((c) => `${c.name} (\`${c.command}\`)`);
        ctx.logger.info(`review failed: ${failed.join(", ")}`, { storyId: ctx.story.id, stage: "review" });
      }
      return { action: "continue", patch: { review, ...gates } };
    },
  };
}
