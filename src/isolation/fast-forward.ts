/**
 * Bringing the user's checkout up to the integration branch without ever
 * overwriting anything of theirs. Only a fast-forward, only when the checkout
 * is still on the branch the run started from and that branch has not moved
 * elsewhere, and only when every path the fast-forward changes is either
 * untouched in the checkout or already holds exactly the incoming content
 * (nax's own PRD writes, `--allow-dirty` files that went into a story).
 * Paths nax owns (the PRD it keeps writing) are updated and then given back
 * the bytes nax last wrote. Anything else: the checkout is left alone and the
 * caller prints the one command that takes the work.
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
  /** Paths (relative to the workdir) nax itself keeps writing; their current bytes are put back afterwards. */
  owned: readonly string[];
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

export async function fastForwardCheckout(
  deps: { git: GitRunner; wt: WorktreeGit; fs: Fs },
  input: FastForwardInput,
): Promise<SyncResult> {
  const { git, wt, fs } = deps;
  const { workdir, target } = input;
  const takeIt = `git merge --ff-only ${input.targetRef}`;
  const branch = await wt.currentBranch(workdir);
  if (branch !== input.branch) {
    const now = branch === undefined ? "a detached HEAD" : `branch ${branch}`;
    const reason = `the checkout is on ${now}, not ${input.branch}, where the run started`;
    return { kind: "blocked", reason, command: `git checkout ${input.branch} && ${takeIt}` };
  }
  const head = await wt.revParse(workdir, "HEAD");
  if (head === target) return { kind: "up-to-date" };
  if (head === undefined || !(await wt.isAncestor(workdir, head, target))) {
    const reason = `${input.branch} has commits the integration branch does not`;
    return { kind: "blocked", reason, command: `git merge ${input.targetRef}` };
  }
  const diff = await git(workdir, ["diff", "--name-only", "-z", "--no-renames", head, target]);
  const changed = splitNul(diff.stdout);
  const dirty = new Set(await wt.uncommittedPaths(workdir));
  // Owned paths nax changed since the last commit: updated like the rest, then given nax's latest bytes back.
  const restore = new Map<string, string>();
  const clashing: string[] = [];
  for (const path of changed) {
    if (!dirty.has(path) || (await holdsTarget(git, fs, workdir, target, path))) continue;
    if (!input.owned.includes(path)) {
      clashing.push(path);
      continue;
    }
    const text = await fs.readText(join(workdir, path));
    if (text !== undefined) restore.set(path, text);
  }
  if (clashing.length > 0) {
    const reason = `uncommitted changes in the checkout would be overwritten (${clashing.slice(0, 5).join(", ")})`;
    return { kind: "blocked", reason, command: `git stash && ${takeIt} && git stash pop` };
  }
  // The branch first (compare-and-swap against the head we checked), then the index entries of the changed
  // paths only (staged work elsewhere stays staged), then the files that were untouched.
  await wt.updateRef(workdir, `refs/heads/${input.branch}`, target, head);
  if (changed.length > 0) {
    await git(
      workdir,
      ["--literal-pathspecs", "reset", "-q", target, "--pathspec-from-file=-", "--pathspec-file-nul"],
      {
        stdin: `${changed.join("\0")}\0`,
      },
    );
  }
  const stale = changed.filter((path) => !dirty.has(path) || restore.has(path));
  const inTarget = new Set<string>();
  if (stale.length > 0) {
    // The whole tree's names, not pathspecs: ls-tree's own path matching knows no literal magic.
    const listed = new Set(splitNul((await git(workdir, ["ls-tree", "-r", "-z", "--name-only", target])).stdout));
    for (const path of stale) if (listed.has(path)) inTarget.add(path);
  }
  const toWrite = stale.filter((path) => inTarget.has(path));
  if (toWrite.length > 0)
    await git(workdir, ["checkout-index", "-f", "-q", "-z", "--stdin"], { stdin: `${toWrite.join("\0")}\0` });
  // Deleted upstream and untouched here: the file is the old commit's, still in git.
  for (const path of stale) if (!inTarget.has(path)) await fs.remove(join(workdir, path));
  for (const [path, text] of restore) await fs.writeAtomic(join(workdir, path), text);
  await git(workdir, ["update-index", "-q", "--refresh"], { okExitCodes: [1] });
  return { kind: "updated" };
}
