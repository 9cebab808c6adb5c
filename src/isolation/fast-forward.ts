/**
 * Bringing the user's checkout up to the integration branch without ever
 * overwriting anything of theirs. Only a fast-forward, only when the checkout
 * is still on the branch the run started from and that branch has not moved
 * elsewhere, and only when every path the fast-forward changes is either
 * untouched in the checkout or already holds exactly the incoming content
 * (nax's own PRD writes, `--allow-dirty` files that went into a story).
 * A path nax owns (the PRD it keeps writing) that nax changed since the last
 * commit keeps the bytes nax last wrote: only its index entry moves. Anything
 * else: the checkout is left alone and the caller prints the one command that
 * takes the work. Four git processes in the common case (status, diff, the
 * ref, one checkout of the changed paths), none of which reads the whole
 * tree or hashes the PRD twice: this runs after every merge.
 */
import { join } from "node:path";
import type { GitRunner } from "../git/run-git";
import { splitNul } from "../git/run-git";
import type { Fs } from "../system/fs";
import type { WorktreeGit } from "./worktree-git";

export type SyncResult = { kind: "updated" | "up-to-date" } | { kind: "blocked"; reason: string; command: string };

export interface FastForwardInput {
  workdir: string;
  /** The branch the run started on (`refs/heads/` omitted). */
  branch: string;
  /** The commit to bring the branch to, and the ref it comes from (for the printed command). */
  target: string;
  targetRef: string;
  /** Paths (relative to the workdir) nax itself keeps writing: uncommitted, they keep their bytes. */
  owned: readonly string[];
  /** Owned paths whose bytes nax knows to be the target's (nothing written since they were committed). */
  current?: readonly string[];
  /** A commit the checkout is known to descend to `target` from (the last target it was brought to). */
  knownAncestor?: string;
  /**
   * The branch was named by the PRD (`branchName`): when the checkout is on another branch, the branch
   * itself is moved (a fast-forward of the ref, compare-and-swap; no file is touched), unless a worktree
   * has it checked out.
   */
  named?: boolean;
}

/** `branchName` while the checkout is elsewhere: only the ref moves, and only forward. */
async function moveBranchOnly(deps: { wt: WorktreeGit }, input: FastForwardInput): Promise<SyncResult> {
  const { wt } = deps;
  const { workdir, branch, target } = input;
  const ref = `refs/heads/${branch}`;
  const current = await wt.revParse(workdir, ref);
  if (current === target) return { kind: "up-to-date" };
  if (current === undefined) {
    return {
      kind: "blocked",
      reason: `the branch ${branch} is gone`,
      command: `git branch ${branch} ${input.targetRef}`,
    };
  }
  const takeIt = `git checkout ${branch} && git merge --ff-only ${input.targetRef}`;
  if (!(await wt.isAncestor(workdir, current, target))) {
    return { kind: "blocked", reason: `${branch} has commits the integration branch does not`, command: takeIt };
  }
  const holder = (await wt.listWorktrees(workdir)).find((entry) => entry.branch === ref);
  if (holder) {
    const reason = `${branch} is checked out in ${holder.path}, whose files would not follow`;
    return { kind: "blocked", reason, command: `git -C ${holder.path} merge --ff-only ${input.targetRef}` };
  }
  await wt.updateRef(workdir, ref, target, current);
  return { kind: "updated" };
}

/** Whether the checkout's file already holds `target`'s version of it (both absent counts). */
async function holdsTarget(git: GitRunner, fs: Fs, cwd: string, target: string, path: string): Promise<boolean> {
  const wanted = await git(cwd, ["rev-parse", "-q", "--verify", `${target}:${path}`], { okExitCodes: [1, 128] });
  const present = await fs.stat(join(cwd, path));
  if (!present) return wanted.exitCode !== 0;
  if (wanted.exitCode !== 0 || present.isDirectory) return false;
  const have = await git(cwd, ["hash-object", "--", path]);
  return have.stdout.trim() === wanted.stdout.trim();
}

/** `diff --name-status -z` pairs: each changed path and whether the target still has it. */
function parseNameStatus(text: string): { path: string; deleted: boolean }[] {
  const fields = splitNul(text);
  const changed: { path: string; deleted: boolean }[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    changed.push({ path: fields[i + 1] as string, deleted: fields[i] === "D" });
  }
  return changed;
}

export async function fastForwardCheckout(
  deps: { git: GitRunner; wt: WorktreeGit; fs: Fs },
  input: FastForwardInput,
): Promise<SyncResult> {
  const { git, wt, fs } = deps;
  const { workdir, target } = input;
  const takeIt = `git merge --ff-only ${input.targetRef}`;
  const state = await wt.checkoutState(workdir);
  if (state.branch !== input.branch) {
    if (input.named) return moveBranchOnly(deps, input);
    const now = state.branch === undefined ? "a detached HEAD" : `branch ${state.branch}`;
    const reason = `the checkout is on ${now}, not ${input.branch}, where the run started`;
    return { kind: "blocked", reason, command: `git checkout ${input.branch} && ${takeIt}` };
  }
  const { head } = state;
  if (head === target) return { kind: "up-to-date" };
  // The integration branch only ever grows from the tips it was synced at: that ancestry needs no question.
  const descends = head !== undefined && (head === input.knownAncestor || (await wt.isAncestor(workdir, head, target)));
  if (head === undefined || !descends) {
    const reason = `${input.branch} has commits the integration branch does not`;
    return { kind: "blocked", reason, command: `git merge ${input.targetRef}` };
  }
  const diff = await git(workdir, ["diff", "--name-status", "-z", "--no-renames", head, target]);
  const changed = parseNameStatus(diff.stdout);
  const dirty = new Set(state.dirty);
  const current = new Set(input.current ?? []);
  const clashing: string[] = [];
  /** Index and file from the target (untouched here, or nax's own bytes that are the target's). */
  const write: string[] = [];
  /** Only the index entry moves: the file already is what it should be (or is nax's newer bytes). */
  const indexOnly: string[] = [];
  const removed: string[] = [];
  for (const { path, deleted } of changed) {
    if (!dirty.has(path) || current.has(path)) {
      if (!deleted) write.push(path);
      else {
        indexOnly.push(path);
        removed.push(path);
      }
    } else if (input.owned.includes(path) || (await holdsTarget(git, fs, workdir, target, path))) {
      // nax's own file changed since the commit (its bytes are the newest), or a file that already holds the target's.
      indexOnly.push(path);
    } else clashing.push(path);
  }
  if (clashing.length > 0) {
    const reason = `uncommitted changes in the checkout would be overwritten (${clashing.slice(0, 5).join(", ")})`;
    return { kind: "blocked", reason, command: `git stash && ${takeIt} && git stash pop` };
  }
  // The branch first (compare-and-swap against the head we checked), then only the changed paths (staged
  // work elsewhere stays staged): index and file together for the untouched ones, the index alone for the
  // rest (a mixed reset refreshes the index itself).
  await wt.updateRef(workdir, `refs/heads/${input.branch}`, target, head);
  const paths = (list: string[]) => ({ stdin: `${list.join("\0")}\0` });
  const fromFile = ["--pathspec-from-file=-", "--pathspec-file-nul"];
  if (write.length > 0) await git(workdir, ["--literal-pathspecs", "checkout", target, ...fromFile], paths(write));
  if (indexOnly.length > 0)
    await git(workdir, ["--literal-pathspecs", "reset", "-q", target, ...fromFile], paths(indexOnly));
  // Deleted upstream and untouched here: the file is the old commit's, still in git.
  for (const path of removed) await fs.remove(join(workdir, path));
  return { kind: "updated" };
}
