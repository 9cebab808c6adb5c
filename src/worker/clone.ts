/**
 * The worker's own checkout: `<dir>/repo`, cloned from the job's repository
 * (a URL or a path; the repository itself is never worked in), or fetched
 * again when a previous worker left it, then put on a local branch at the
 * job's base commit. The story's attempts get worktrees of this clone, as a
 * local run's get worktrees of the user's checkout.
 */
import { join } from "node:path";
import { NaxError } from "../errors";
import type { GitRunner } from "../git/run-git";
import type { Fs } from "../system/fs";

/** The clone's own branch: the "user's branch" isolation starts from and fast-forwards. */
export const WORKER_BASE_BRANCH = "nax-worker/base";

export interface CloneInput {
  dir: string;
  repository: string;
  baseCommit: string;
}

async function hasCommit(git: GitRunner, cwd: string, sha: string): Promise<boolean> {
  const found = await git(cwd, ["cat-file", "-e", `${sha}^{commit}`], { okExitCodes: [1, 128] });
  return found.exitCode === 0;
}

export async function prepareClone(deps: { git: GitRunner; fs: Fs }, input: CloneInput): Promise<string> {
  const { git } = deps;
  const repo = join(input.dir, "repo");
  if (await deps.fs.exists(join(repo, ".git"))) {
    await git(repo, ["fetch", "-q", "origin"]);
  } else {
    await deps.fs.mkdirp(input.dir);
    await git(input.dir, ["clone", "-q", "--no-checkout", "--", input.repository, repo]);
  }
  // A commit no branch of the remote reaches (a coordinator's integration point) is asked for by id.
  if (!(await hasCommit(git, repo, input.baseCommit))) {
    await git(repo, ["fetch", "-q", "origin", input.baseCommit], { okExitCodes: [1, 128] });
  }
  if (!(await hasCommit(git, repo, input.baseCommit))) {
    throw new NaxError(
      "GIT_FAILED",
      `baseCommit ${input.baseCommit} is not in ${input.repository}; push it there (or fix the job's baseCommit)`,
      { repository: input.repository },
    );
  }
  await git(repo, ["checkout", "-q", "-B", WORKER_BASE_BRANCH, input.baseCommit]);
  return repo;
}
