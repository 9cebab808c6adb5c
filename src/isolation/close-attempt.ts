/**
 * Closing an attempt's worktree: whatever it holds is kept, then it is
 * removed. A passed attempt whose commit landed has nothing of its own left,
 * so its worktree is removed straight away (git refuses a dirty one, and only
 * then is its work kept like a failed attempt's) and its branch deleted with
 * the landed commit as the value it must still hold. A failed or interrupted
 * attempt's worktree is committed whole to its attempt ref first.
 */
import type { Logger } from "../logger/logger";
import type { PipelineOutcome } from "../pipeline/pipeline";
import type { LaneWorktree } from "./land";
import { inspectCommand } from "./names";
import { keepWorktreeWork } from "./setup-run";
import type { WorktreeGit } from "./worktree-git";

export interface CloseDeps {
  wt: WorktreeGit;
  workdir: string;
  feature: string;
  runId: string;
  logger: Logger;
}

/** The attempt ref its work was kept at, when one was made. `landedTip`: a passed attempt's landed commit. */
export async function closeAttempt(
  deps: CloseDeps,
  lane: LaneWorktree,
  outcome: PipelineOutcome,
  landedTip: string | undefined,
): Promise<string | undefined> {
  const { wt, workdir, logger } = deps;
  const passed = outcome.kind === "passed";
  if (landedTip !== undefined) {
    await wt.unlock(workdir, lane.path);
    if (await wt.removeWorktree(workdir, lane.path)) {
      // Compare-and-swap: a branch that moved past the landed commit is left as it is.
      await wt.deleteRefIf(workdir, `refs/heads/${lane.branch}`, landedTip);
      return undefined;
    }
  }
  const label = passed ? "passed" : outcome.kind === "stop" ? "interrupted" : "failed";
  const ref = await keepWorktreeWork(
    { wt, workdir, feature: deps.feature },
    {
      path: lane.path,
      storyId: lane.storyId,
      attempt: lane.attempt,
      base: passed ? (landedTip ?? (await wt.revParse(lane.path, "HEAD"))) : lane.base,
      message: `nax: ${lane.storyId} attempt ${lane.attempt}, ${label} (run ${deps.runId})\n`,
    },
  );
  await wt.unlock(workdir, lane.path);
  if (!(await wt.removeWorktree(workdir, lane.path))) {
    logger.warn(`${lane.storyId}: the worktree ${lane.path} still holds changes and was left in place`, {
      storyId: lane.storyId,
    });
    return ref;
  }
  if (passed) {
    // Its change is on the integration branch now (squashed there): the branch has nothing left of its own.
    const tip = await wt.revParse(workdir, `refs/heads/${lane.branch}`);
    if (tip !== undefined) await wt.deleteRef(workdir, `refs/heads/${lane.branch}`, tip);
  }
  if (ref)
    logger.info(
      `${lane.storyId}: attempt ${lane.attempt}'s work is kept at ${ref}; see it with \`${inspectCommand(ref)}\``,
      {
        storyId: lane.storyId,
      },
    );
  return ref;
}
