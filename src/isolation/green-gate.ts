/**
 * The rule that a story becomes `passed` only with a green gate on its
 * final tree, and the ledger entry that says which gate proved it. The
 * attempt's own last test gate proves the merged tree when it ran after the
 * attempt's last edit and the base did not move (the squash merge then has
 * the attempt's tree); otherwise land.ts runs the gate on the merged tree.
 * A story whose tests are switched off (`requireTests: false`) passes
 * unverified, as trap 28 says, and its ledger shows no proof.
 */
import { editsOf, provenBy, recordGate } from "../pipeline/gate-record";
import type { PipelineOutcome } from "../pipeline/pipeline";
import type { StoryContext, StoryState } from "../pipeline/stage";
import type { TestRunResult } from "../verification/types";

/** The attempt proves its own tree (or nothing can: tests are off). */
export function attemptProvesTree(outcome: PipelineOutcome): boolean {
  return outcome.state.unverified !== undefined || provenBy(outcome.state) !== undefined;
}

/** The state with the landing gate's run recorded (its `gate:ran` emitted). */
export function recordLandGate(
  ctx: StoryContext,
  state: StoryState,
  result: TestRunResult,
  commit?: string,
): StoryState {
  const gates = recordGate(
    { ...ctx, state },
    {
      gate: "land",
      command: result.command,
      exitCode: result.exitCode,
      passed: result.passed,
      passedCount: result.passedCount,
      failedCount: result.failedCount,
      durationMs: result.durationMs,
      scope: "full",
      ...(commit === undefined ? {} : { commit }),
    },
  );
  return { ...state, ...gates };
}

/** Records the landing gate's run (if one ran) and seals the merged commit with the gate that proved it. */
export function sealMerged(
  ctx: StoryContext,
  outcome: PipelineOutcome,
  landGate: TestRunResult | undefined,
  commit: string | undefined,
): StoryState {
  const state = landGate ? recordLandGate(ctx, outcome.state, landGate, commit) : outcome.state;
  const proof = landGate?.passed ? "land" : provenBy(state)?.gate;
  if (commit !== undefined) {
    ctx.emit("ledger:sealed", {
      attempt: ctx.attempt,
      where: "merged",
      commit,
      edit: editsOf(state),
      ...(proof ? { provenBy: proof } : {}),
    });
  }
  return state;
}
