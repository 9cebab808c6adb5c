/**
 * The start of an isolated run: forget worktree registrations whose folders
 * are gone, keep the work of any story worktree a killed or interrupted run
 * left (committed to an attempt ref, then the worktree is removed), settle
 * the branch the run works on (the PRD's `branchName` when set, created at
 * the checkout's HEAD if it does not exist; else the checkout's branch), place
 * the integration branch at that branch's tip (or keep it when it holds
 * stories that branch has not taken yet). The integration worktree is
 * checked out apart (`openIntegrationWorktree`): the run's first sessions
 * need only the branch's commit, not its worktree.
 */
import { basename, dirname } from "node:path";
import { NaxError } from "../errors";
import type { GitRunner } from "../git/run-git";
import type { Fs } from "../system/fs";
import { attemptRef, attemptRefPrefix, inspectCommand, integrationBranch } from "./names";
import type { WorktreeGit } from "./worktree-git";

export interface RunStartDeps {
  git: GitRunner;
  wt: WorktreeGit;
  fs: Fs;
  workdir: string;
  feature: string;
  runId: string;
  /** `<worktree root>/<feature>`: every story and the integration worktree of this feature live here. */
  featureRoot: string;
  integrationDir: string;
  /** The PRD's `branchName` (already checked by the PRD's refusals). */
  branchName?: string;
}

export interface RunStart {
  /** The branch the run works on: passed stories are brought there (undefined: a detached checkout). */
  startBranch: string | undefined;
  /** That branch's commit at the start: where the integration branch starts. */
  startHead: string;
  /** The checkout's own HEAD at the start (its uncommitted files belong to this commit). */
  checkoutHead: string;
  /** The integration branch's tip once settled: where the first stories are cut from. */
  integrationTip: string;
  /** Whether the branch came from `branchName` (the checkout may then be on another branch). */
  named: boolean;
  messages: string[];
}

/** Points the story's next attempt ref at `sha`, unless an attempt ref already holds it; the ref. */
export async function keepCommit(
  deps: Pick<RunStartDeps, "wt" | "workdir" | "feature">,
  input: { storyId: string; attempt: number; sha: string },
): Promise<string> {
  const { wt } = deps;
  const refs = await wt.refsUnder(deps.workdir, attemptRefPrefix(deps.feature, input.storyId));
  const held = refs.find((r) => r.sha === input.sha);
  if (held) return held.ref;
  const taken = refs.map((r) => r.ref);
  const ref = attemptRef(deps.feature, input.storyId, input.attempt, taken);
  await wt.updateRef(deps.workdir, ref, input.sha, "");
  return ref;
}

/** Commits what a worktree holds to the story's next attempt ref; the ref, or undefined when nothing was there. */
export async function keepWorktreeWork(
  deps: Pick<RunStartDeps, "wt" | "workdir" | "feature">,
  input: { path: string; storyId: string; attempt: number; base: string | undefined; message: string },
): Promise<string | undefined> {
  const committed = await deps.wt.commitEverything(input.path, input.message);
  const tip = committed ?? (await deps.wt.revParse(input.path, "HEAD"));
  if (tip === undefined) return undefined;
  // Nothing of its own: the attempt's HEAD is already in the base's history.
  if (input.base !== undefined && (await deps.wt.isAncestor(deps.workdir, tip, input.base))) return undefined;
  return keepCommit(deps, { storyId: input.storyId, attempt: input.attempt, sha: tip });
}

/** Story worktrees a previous run left: their work kept in attempt refs, then removed (never with work inside). */
async function adoptLeftovers(deps: RunStartDeps): Promise<string[]> {
  const { wt, workdir } = deps;
  const messages: string[] = [];
  // No integration branch (a run killed before its first landing): the checkout's HEAD, where it starts.
  const base =
    (await wt.revParse(workdir, `refs/heads/${integrationBranch(deps.feature)}`)) ??
    (await wt.revParse(workdir, "HEAD"));
  for (const entry of await wt.listWorktrees(workdir)) {
    if (dirname(entry.path) !== deps.featureRoot || entry.path === deps.integrationDir) continue;
    const match = /^(.+)-(\d+)$/.exec(basename(entry.path));
    if (!match) continue;
    const [, storyId = "", attempt = "0"] = match;
    // Killed between its add and its checkout (worktree-git.ts): no agent ever ran there, and what files it
    // has are the base's; the checkout is finished so that git sees them as they are, not as added work.
    if (!(await wt.populated(entry.path))) await wt.populate(entry.path);
    const ref = await keepWorktreeWork(deps, {
      path: entry.path,
      storyId,
      attempt: Number(attempt),
      base,
      message: `nax: ${storyId} attempt ${attempt}, interrupted; kept by ${deps.runId}\n`,
    });
    await wt.unlock(workdir, entry.path);
    const removed = await wt.removeWorktree(workdir, entry.path);
    const kept = ref ? ` its work is kept at ${ref} (\`${inspectCommand(ref)}\`)` : " it held no work";
    messages.push(
      `a worktree of ${storyId} (attempt ${attempt}) was left by an interrupted run;${kept}${removed ? "" : `; ${entry.path} was left in place`}`,
    );
  }
  return messages;
}

export async function startIsolatedRun(deps: RunStartDeps): Promise<RunStart> {
  const { wt, workdir, feature } = deps;
  await wt.prune(workdir);
  const messages = await adoptLeftovers(deps);
  const checkoutHead = await wt.revParse(workdir, "HEAD");
  if (checkoutHead === undefined) {
    throw new NaxError("NOT_A_REPO", `${workdir}: the repository has no commit yet; commit your project first`, {
      workdir,
    });
  }
  const checkoutBranch = await wt.currentBranch(workdir);
  const { startBranch, startHead } = await runBranch(deps, checkoutBranch, checkoutHead, messages);
  const branch = integrationBranch(feature);
  const ref = `refs/heads/${branch}`;
  const existing = await wt.revParse(workdir, ref);
  let integrationTip = startHead;
  if (existing === undefined) await wt.updateRef(workdir, ref, startHead, "");
  else if (await wt.isAncestor(workdir, existing, startHead)) {
    if (existing !== startHead) await wt.updateRef(workdir, ref, startHead, existing);
  } else {
    integrationTip = existing;
    messages.push(
      `${branch} holds stories ${startBranch ?? "HEAD"} has not taken yet; this run continues from it (take them with \`git merge ${branch}\`)`,
    );
  }
  return { startBranch, startHead, checkoutHead, integrationTip, named: deps.branchName !== undefined, messages };
}

/**
 * The integration worktree, on the integration branch: an interrupted run's is reset (whatever is
 * uncommitted there is a half-done merge whose sources are still in git), else a new one is checked out.
 * Its add waits behind the lanes' (`routine`): only the first landing needs it.
 */
export async function openIntegrationWorktree(deps: RunStartDeps): Promise<void> {
  const { wt, workdir } = deps;
  const registered = (await wt.listWorktrees(workdir)).some((e) => e.path === deps.integrationDir);
  if (registered) {
    await deps.git(deps.integrationDir, ["reset", "-q", "--hard", "HEAD"]);
    return;
  }
  await deps.fs.mkdirp(deps.featureRoot);
  await wt.checkoutWorktree(workdir, deps.integrationDir, integrationBranch(deps.feature), `nax run ${deps.runId}`);
}

/** The branch the run works on and its tip: `branchName` (made at the checkout's HEAD when new), else the checkout's. */
async function runBranch(
  deps: RunStartDeps,
  checkoutBranch: string | undefined,
  checkoutHead: string,
  messages: string[],
): Promise<{ startBranch: string | undefined; startHead: string }> {
  const name = deps.branchName;
  if (name === undefined || name === checkoutBranch) return { startBranch: checkoutBranch, startHead: checkoutHead };
  const existing = await deps.wt.revParse(deps.workdir, `refs/heads/${name}`);
  if (existing !== undefined) {
    messages.push(
      `the PRD's branchName ${name} is not checked out here (${checkoutBranch ?? "a detached HEAD"} is): the run works from ${name} and brings the passed stories there; your checkout is left as it is`,
    );
    return { startBranch: name, startHead: existing };
  }
  // Compare-and-swap against "must not exist": a branch made meanwhile is never overwritten.
  await deps.wt.updateRef(deps.workdir, `refs/heads/${name}`, checkoutHead, "");
  messages.push(
    `the PRD's branchName ${name} did not exist: it was created at ${checkoutBranch ?? "HEAD"} (${checkoutHead.slice(0, 12)}); the passed stories go there, and your checkout is left on ${checkoutBranch ?? "its detached HEAD"}`,
  );
  return { startBranch: name, startHead: checkoutHead };
}
