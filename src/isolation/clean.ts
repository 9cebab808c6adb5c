/**
 * `nax clean`'s planning and execution: what nax left behind for this
 * project (worktrees under `$NAX_HOME/worktrees/<project>`, branches
 * `nax/<feature>/*`, attempt refs), and which of it may go. A worktree with
 * uncommitted changes, a branch holding a commit that is neither in the
 * user's branch nor in its feature's integration branch, and every attempt
 * ref are kept unless `force`; "merged" is `git merge-base --is-ancestor`'s
 * exit status, never words. A worktree never checked out (a run stopped
 * while making it) is judged by the files in its folder, not by git's "every
 * file deleted" of a missing index. Planning is pure over the gathered facts;
 * execution goes through the git runner: refs are deleted only while they
 * still hold the judged value, nothing runs `git clean`.
 */
import { join, sep } from "node:path";
import type { GitRunner } from "../git/run-git";
import type { Fs } from "../system/fs";
import { worktreeRoot } from "./names";
import type { WorktreeGit } from "./worktree-git";

export interface CleanWorktree {
  path: string;
  branch?: string;
  locked: boolean;
  /** The folder is gone: only git's bookkeeping is left. */
  missing: boolean;
  /** Uncommitted (changed, staged or untracked) paths. */
  dirty: string[];
  /**
   * Never checked out (worktree-git.ts: a run killed between the add and the checkout): no agent ran there.
   * `dirty` is then what someone put in its folder, and the checkout is finished before git removes it.
   */
  unpopulated?: boolean;
}

export interface CleanRef {
  ref: string;
  sha: string;
  /** In the user's branch or the feature's integration branch (always false for attempt refs). */
  merged: boolean;
  /** Checked out in the user's checkout (or another worktree that is not nax's): never deleted. */
  current: boolean;
}

export interface CleanFacts {
  worktrees: CleanWorktree[];
  branches: CleanRef[];
  attempts: CleanRef[];
}

export type CleanAction =
  | { kind: "remove-worktree"; worktree: CleanWorktree; discard: boolean }
  | { kind: "prune-worktree"; worktree: CleanWorktree }
  | { kind: "delete-ref"; ref: CleanRef; why: "merged" | "forced" };

export interface CleanKept {
  what: string;
  why: string;
}

export interface CleanPlan {
  actions: CleanAction[];
  kept: CleanKept[];
}

/** Every leftover of this project (one feature's, with `feature`), judged against the user's HEAD. */
export async function gatherCleanFacts(
  deps: { wt: WorktreeGit; fs: Pick<Fs, "exists"> },
  input: { workdir: string; naxHome: string; feature?: string },
): Promise<CleanFacts> {
  const { wt } = deps;
  const { workdir, feature } = input;
  const root = worktreeRoot(input.naxHome, workdir);
  const under = feature === undefined ? `${root}${sep}` : `${join(root, feature)}${sep}`;
  const worktrees: CleanWorktree[] = [];
  // Branches checked out in the user's checkout or any worktree that is not nax's are never deleted.
  const checkedOut = new Set<string>();
  for (const entry of await wt.listWorktrees(workdir)) {
    if (!entry.path.startsWith(`${root}${sep}`)) {
      if (entry.branch) checkedOut.add(entry.branch);
      continue;
    }
    if (!entry.path.startsWith(under)) continue;
    const missing = !(await deps.fs.exists(entry.path));
    // Without an index every file of HEAD would look deleted: only what is in the folder counts.
    const unpopulated = !missing && !(await wt.populated(entry.path));
    let dirty: string[] = [];
    if (unpopulated) dirty = await wt.untrackedPaths(entry.path);
    else if (!missing) dirty = await wt.uncommittedPaths(entry.path);
    worktrees.push({
      path: entry.path,
      ...(entry.branch ? { branch: entry.branch } : {}),
      locked: entry.locked,
      missing,
      dirty,
      ...(unpopulated ? { unpopulated } : {}),
    });
  }
  const head = await wt.revParse(workdir, "HEAD");
  const prefix = feature === undefined ? "refs/heads/nax/" : `refs/heads/nax/${feature}/`;
  const branches: CleanRef[] = [];
  for (const { ref, sha } of await wt.refsUnder(workdir, prefix)) {
    const integration = ref.replace(/\/[^/]+$/, "/integration");
    const inHead = head !== undefined && (await wt.isAncestor(workdir, sha, head));
    const tip = integration === ref ? undefined : await wt.revParse(workdir, integration);
    const inIntegration = tip !== undefined && (await wt.isAncestor(workdir, sha, tip));
    branches.push({ ref, sha, merged: inHead || inIntegration, current: checkedOut.has(ref) });
  }
  const attemptPrefix = feature === undefined ? "refs/nax/attempts/" : `refs/nax/attempts/${feature}/`;
  const attempts = (await wt.refsUnder(workdir, attemptPrefix)).map((r) => ({ ...r, merged: false, current: false }));
  return { worktrees, branches, attempts };
}

const short = (sha: string) => sha.slice(0, 10);

export function planClean(facts: CleanFacts, options: { force: boolean }): CleanPlan {
  const actions: CleanAction[] = [];
  const kept: CleanKept[] = [];
  const staying = new Set<string>();
  for (const worktree of facts.worktrees) {
    if (worktree.missing) actions.push({ kind: "prune-worktree", worktree });
    else if (worktree.dirty.length === 0 || options.force) {
      actions.push({ kind: "remove-worktree", worktree, discard: worktree.dirty.length > 0 });
    } else {
      if (worktree.branch) staying.add(worktree.branch);
      kept.push({
        what: `worktree ${worktree.path}`,
        why: `${worktree.dirty.length} uncommitted path(s) (${worktree.dirty.slice(0, 5).join(", ")}); commit or copy them, or --force discards them`,
      });
    }
  }
  for (const ref of facts.branches) {
    const name = ref.ref.slice("refs/heads/".length);
    if (ref.current) kept.push({ what: `branch ${name}`, why: "it is checked out outside nax's worktrees" });
    else if (staying.has(ref.ref)) kept.push({ what: `branch ${name}`, why: "its worktree is kept" });
    else if (ref.merged) actions.push({ kind: "delete-ref", ref, why: "merged" });
    else if (options.force) actions.push({ kind: "delete-ref", ref, why: "forced" });
    else {
      kept.push({
        what: `branch ${name} (${short(ref.sha)})`,
        why: `holds commits in neither your branch nor its integration branch (see: git log -p ${name}); --force deletes it`,
      });
    }
  }
  for (const ref of facts.attempts) {
    if (options.force) actions.push({ kind: "delete-ref", ref, why: "forced" });
    else kept.push({ what: `attempt ${ref.ref} (${short(ref.sha)})`, why: "kept failed work; --force deletes it" });
  }
  return { actions, kept };
}

export function describeAction(action: CleanAction): string {
  switch (action.kind) {
    case "prune-worktree":
      return `forget worktree ${action.worktree.path} (its folder is gone)`;
    case "remove-worktree": {
      const never = action.worktree.unpopulated ? " (never checked out: a run was stopped while making it)" : "";
      return action.discard
        ? `remove worktree ${action.worktree.path}${never}, DISCARDING its uncommitted ${action.worktree.dirty.join(", ")}`
        : `remove worktree ${action.worktree.path}${never}`;
    }
    case "delete-ref": {
      const name = action.ref.ref.startsWith("refs/heads/") ? `branch ${action.ref.ref.slice(11)}` : action.ref.ref;
      return action.why === "merged"
        ? `delete merged ${name} (${short(action.ref.sha)})`
        : `delete ${name} at ${action.ref.sha}, with its unmerged commits (restore: git update-ref ${action.ref.ref} ${action.ref.sha}, until git gc)`;
    }
    default: {
      const unreachable: never = action;
      throw new Error(`unknown clean action ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Carries out the plan; a step git refuses is reported and the rest go on. The failures, by description. */
export async function executeClean(
  deps: { wt: WorktreeGit; git: GitRunner },
  workdir: string,
  plan: CleanPlan,
): Promise<{ done: string[]; failed: string[] }> {
  const done: string[] = [];
  const failed: string[] = [];
  let pruned = false;
  for (const action of plan.actions) {
    const text = describeAction(action);
    let ok = true;
    if (action.kind === "prune-worktree") {
      if (!pruned) await deps.wt.prune(workdir);
      pruned = true;
    } else if (action.kind === "remove-worktree") {
      if (action.worktree.locked) await deps.wt.unlock(workdir, action.worktree.path);
      // git judges a worktree with no index as "every file deleted": its checkout is finished first (the
      // folder's own files, judged above, are untracked and stay so), then git's own check decides.
      if (action.worktree.unpopulated && !action.discard) await deps.wt.populate(action.worktree.path);
      // `--force` only when the user asked to discard (and was told exactly what).
      const args = ["worktree", "remove", ...(action.discard ? ["--force"] : []), action.worktree.path];
      ok = (await deps.git(workdir, args, { okExitCodes: [128] })).exitCode === 0;
    } else {
      const out = await deps.git(workdir, ["update-ref", "-d", action.ref.ref, action.ref.sha], {
        okExitCodes: [1, 128],
      });
      ok = out.exitCode === 0;
    }
    (ok ? done : failed).push(text);
  }
  return { done, failed };
}
