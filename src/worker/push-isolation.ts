/**
 * The worker's AttemptIsolation: the local run's own isolation (a worktree
 * per attempt cut from the base, failed work kept in attempt refs, nothing
 * deleted that holds work) with one difference: a passed attempt is not
 * merged here but pushed, as the job's branch, for the coordinator's merge
 * queue to judge. A push that fails turns the pass into a failure, so its
 * work is kept in an attempt ref like any failed attempt's.
 */
import type { AttemptIsolation, LaneHandle } from "../execution/lanes";
import type { GitRunner } from "../git/run-git";
import type { Isolation, LaneWorktree } from "../isolation/workspace";
import type { WorktreeGit } from "../isolation/worktree-git";
import type { PipelineOutcome } from "../pipeline/pipeline";
import type { StoryContext } from "../pipeline/stage";

export interface PushTarget {
  remote: string;
  branch: string;
}

export interface Pushed {
  remote: string;
  name: string;
  commit: string;
}

export interface PushIsolation extends AttemptIsolation {
  /** The branch pushed for the passed attempt, if one passed and its push succeeded. */
  pushed(): Pushed | undefined;
  /** The last push's failure, for the result's detail. */
  pushError(): string | undefined;
}

export function createPushIsolation(
  deps: { git: GitRunner; wt: WorktreeGit; local: Isolation; repo: string },
  target: PushTarget,
): PushIsolation {
  let pushed: Pushed | undefined;
  let pushError: string | undefined;
  const lanes = new Map<LaneHandle, LaneWorktree>();

  const push = async (lane: LaneWorktree, outcome: PipelineOutcome): Promise<PipelineOutcome> => {
    const commit = outcome.state.commit ?? (await deps.wt.revParse(lane.path, "HEAD"));
    if (commit === undefined || commit === lane.base) {
      return { ...outcome, kind: "fail", reason: "push-failed: the passed attempt left no commit to push" };
    }
    // The job's branch is the worker's own: a rerun of the same job replaces what an earlier one pushed.
    const refspec = `+${commit}:refs/heads/${target.branch}`;
    const result = await deps.git(deps.repo, ["push", "-q", target.remote, refspec], { okExitCodes: [1, 128] });
    if (result.exitCode !== 0) {
      pushError = (result.stderr.trim() || result.stdout.trim()).slice(-1000) || `git push exited ${result.exitCode}`;
      return { ...outcome, kind: "fail", reason: `push-failed: ${pushError}` };
    }
    pushed = { remote: target.remote, name: target.branch, commit };
    return { ...outcome, state: { ...outcome.state, commit } };
  };

  return {
    async open(storyId, attempt) {
      const lane = await deps.local.open(storyId, attempt);
      lanes.set(lane, lane);
      return lane;
    },
    land(handle: LaneHandle, _ctx: StoryContext, outcome: PipelineOutcome) {
      const lane = lanes.get(handle);
      if (outcome.kind !== "passed" || !lane) return Promise.resolve(outcome);
      return push(lane, outcome);
    },
    async close(handle, outcome) {
      const lane = lanes.get(handle);
      lanes.delete(handle);
      return lane ? deps.local.close(lane, outcome) : undefined;
    },
    pushed: () => pushed,
    pushError: () => pushError,
  };
}

/** Pushes every attempt ref under `prefix` (failed or interrupted work) to the remote; the ones pushed. */
export async function pushKeptRefs(
  deps: { git: GitRunner; wt: WorktreeGit; repo: string },
  remote: string,
  prefix: string,
): Promise<{ pushed: { ref: string; commit: string }[]; error?: string }> {
  const refs = await deps.wt.refsUnder(deps.repo, prefix);
  if (refs.length === 0) return { pushed: [] };
  const specs = refs.map((r) => `+${r.sha}:${r.ref}`);
  const result = await deps.git(deps.repo, ["push", "-q", remote, ...specs], { okExitCodes: [1, 128] });
  if (result.exitCode !== 0) {
    return { pushed: [], error: (result.stderr.trim() || `git push exited ${result.exitCode}`).slice(-1000) };
  }
  return { pushed: refs.map((r) => ({ ref: r.ref, commit: r.sha })) };
}
