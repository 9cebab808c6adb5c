/**
 * The git plumbing isolation needs, each an argv call through the git runner:
 * worktrees (add, lock, remove, list), refs (read, compare-and-swap update,
 * delete only with the expected old value), ancestry, and "commit whatever is
 * in this worktree". Outcomes are judged by exit status and index state,
 * never by words in git's output (trap 34). Nothing here runs `git clean`,
 * passes `--force` to `worktree remove`, or deletes a ref without naming the
 * value it must still hold.
 */
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { authorFallback } from "../git/commit";
import { READ_STATUS } from "../git/read-status";
import { gitDirs } from "../git/ref-files";
import type { GitRunner } from "../git/run-git";
import { splitNul } from "../git/run-git";
import { runtimeExcludes } from "../git/runtime-pathspecs";
import { createPrioritySerial } from "./serial";

/**
 * git's worktree bookkeeping (`.git/worktrees/<name>/`) is not safe under concurrent changes: an add that
 * checks whether its branch is checked out elsewhere reads every entry, and one that another lane is making
 * or removing fails it (`fatal: failed to read .git/worktrees/<x>/commondir`). Every worktree add, remove,
 * prune and listing of this process (and an unlock git has to make) goes through one queue; the other git calls run freely (trap 43,
 * docs/traps.md). A lane's add goes first: a lane waiting for its next worktree is on the run's critical
 * path, the removal of a landed attempt's worktree and the integration worktree's add are not.
 */
const worktreeQueue = createPrioritySerial();
const worktreeAdd = worktreeQueue.urgent;
const worktreeChanges = worktreeQueue.routine;
/**
 * Every add, locked, with no checkout: the checkout (`populate`) runs after the add has left the queue. A
 * worktree nax was killed in between has no index yet; the next run finishes its checkout (`populated`).
 */
const ADD = ["worktree", "add", "-q", "--lock", "--no-checkout"];

export interface WorktreeEntry {
  path: string;
  head?: string;
  branch?: string;
  locked: boolean;
}

/** A checkout's HEAD, its branch and its uncommitted paths, from one `git status`. */
export interface CheckoutState {
  head: string | undefined;
  /** `refs/heads/` omitted; undefined on a detached HEAD. */
  branch: string | undefined;
  /** Changed, staged or untracked (not ignored) paths, nax's runtime files left out. */
  dirty: string[];
}

/** A worktree to add on `branch` at `base`; `reason`: the lock's. */
export interface AttemptCheckout {
  path: string;
  branch: string;
  base: string;
  reason: string;
}

/**
 * Sparse patterns (non-cone) that keep everything but `paths`: every character gitignore's patterns give
 * a meaning to is escaped, so a path is only ever itself.
 */
export function leaveOutPatterns(paths: readonly string[]): string {
  const literal = (path: string) => path.replace(/[\\*?[\]!#\s]/g, (c) => `\\${c}`);
  return ["/*", ...paths.map((path) => `!/${literal(path)}`), ""].join("\n");
}

/** Fields before the path in a porcelain v2 entry: `1` (changed) and `u` (unmerged). */
const V2_FIELDS: Record<string, number> = { "1": 8, u: 10 };

/** Parses `git status --porcelain=v2 --branch -z --no-renames` (the v2 format never quotes a path under -z). */
export function parseStatusV2(text: string): CheckoutState {
  const state: CheckoutState = { head: undefined, branch: undefined, dirty: [] };
  for (const entry of splitNul(text)) {
    if (entry.startsWith("# branch.oid ")) {
      const oid = entry.slice("# branch.oid ".length);
      state.head = oid === "(initial)" ? undefined : oid;
    } else if (entry.startsWith("# branch.head ")) {
      const name = entry.slice("# branch.head ".length);
      state.branch = name === "(detached)" ? undefined : name;
    } else if (entry.startsWith("? ")) state.dirty.push(entry.slice(2));
    else {
      const fields = V2_FIELDS[entry[0] ?? ""];
      if (fields === undefined) continue;
      let at = 0;
      for (let n = 0; n < fields && at >= 0; n++) at = entry.indexOf(" ", at + 1);
      if (at > 0) state.dirty.push(entry.slice(at + 1));
    }
  }
  return state;
}

/** A linked worktree's administrative folder (`<common dir>/worktrees/<id>`), read from its `.git` file. */
export async function worktreeAdminDir(worktree: string): Promise<string | undefined> {
  const admin = (await gitDirs(worktree))?.gitDir;
  // Only ever a folder git made for a worktree (never a main checkout's `.git`): anything else is left to git.
  if (admin === undefined || admin === join(worktree, ".git")) return undefined;
  return basename(dirname(admin)) === "worktrees" ? admin : undefined;
}

export function createWorktreeGit(git: GitRunner) {
  const revParse = async (cwd: string, rev: string): Promise<string | undefined> => {
    const out = await git(cwd, ["rev-parse", "--verify", "-q", `${rev}^{commit}`], { okExitCodes: [1, 128] });
    return out.exitCode === 0 ? out.stdout.trim() : undefined;
  };
  /**
   * The checkout of a worktree added with `--no-checkout`, which is what `worktree add` itself runs last.
   * Outside the worktree queue: it reads and writes only this worktree's own index and files, so lanes
   * check out at once (on a big repository this is most of an add: seconds for 20,000 files).
   * `leaveOut`: files (paths from the worktree's root) marked skip-worktree and never written, through
   * sparse patterns in the worktree's own administrative folder and `core.sparseCheckout` given to this
   * one call: nothing in the repository's config changes (see `leaveOutPatterns`).
   */
  const populate = async (path: string, leaveOut: readonly string[] = []): Promise<void> => {
    const args = ["reset", "--hard", "--no-recurse-submodules", "--quiet"];
    const admin = leaveOut.length > 0 ? await worktreeAdminDir(path) : undefined;
    if (admin === undefined) {
      await git(path, args);
      return;
    }
    await mkdir(join(admin, "info"), { recursive: true });
    await writeFile(join(admin, "info", "sparse-checkout"), leaveOutPatterns(leaveOut));
    await git(path, args, { config: ["core.sparseCheckout=true", "core.sparseCheckoutCone=false"] });
  };
  return {
    revParse,
    async currentBranch(cwd: string): Promise<string | undefined> {
      const out = await git(cwd, ["symbolic-ref", "-q", "--short", "HEAD"], { okExitCodes: [1, 128] });
      return out.exitCode === 0 ? out.stdout.trim() : undefined;
    },
    async isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean> {
      const out = await git(cwd, ["merge-base", "--is-ancestor", ancestor, descendant], { okExitCodes: [1] });
      return out.exitCode === 0;
    },
    /** Moves `ref` to `sha` only while it still holds `expected` (empty: must not exist yet). */
    async updateRef(cwd: string, ref: string, sha: string, expected?: string): Promise<void> {
      await git(cwd, ["update-ref", ref, sha, ...(expected === undefined ? [] : [expected])]);
    },
    /** Deletes `ref` only if it still holds `expected`; git refuses otherwise. */
    async deleteRef(cwd: string, ref: string, expected: string): Promise<void> {
      await git(cwd, ["update-ref", "-d", ref, expected]);
    },
    async refsUnder(cwd: string, prefix: string): Promise<{ ref: string; sha: string }[]> {
      const out = await git(cwd, ["for-each-ref", "--format=%(objectname) %(refname)", prefix]);
      return out.stdout
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => {
          const space = line.indexOf(" ");
          return { sha: line.slice(0, space), ref: line.slice(space + 1) };
        });
    },
    /** `leaveOut`: files the checkout does not write (`populate`). */
    async addWorktree(cwd: string, at: AttemptCheckout, leaveOut: readonly string[] = []): Promise<void> {
      // `-B` moves the branch to the base: callers first keep whatever it held that is not merged.
      await worktreeAdd(() => git(cwd, [...ADD, "--reason", at.reason, "-B", at.branch, at.path, at.base]));
      await populate(at.path, leaveOut);
    },
    /** `-b`: a new branch only; false when git refused (the branch exists, most likely), nothing made. */
    async addWorktreeNewBranch(cwd: string, at: AttemptCheckout, leaveOut: readonly string[] = []) {
      const args = [...ADD, "--reason", at.reason, "-b", at.branch, at.path, at.base];
      // git exits 255 (or 128) when it refuses; the caller's `-B` then says what any other failure was.
      const out = await worktreeAdd(() => git(cwd, args, { okExitCodes: [128, 255] }));
      if (out.exitCode !== 0) return false;
      await populate(at.path, leaveOut);
      return true;
    },
    /** Whether the repository is a sparse checkout of its own (then nax leaves its patterns alone). */
    async sparseCheckoutOn(cwd: string): Promise<boolean> {
      const out = await git(cwd, ["config", "--bool", "--get", "core.sparseCheckout"], { okExitCodes: [1] });
      return out.stdout.trim() === "true";
    },
    /** Deletes `ref` only if it still holds `expected`; false (and the ref untouched) when git refused. */
    async deleteRefIf(cwd: string, ref: string, expected: string): Promise<boolean> {
      const out = await git(cwd, ["update-ref", "-d", ref, expected], { okExitCodes: [1, 128] });
      return out.exitCode === 0;
    },
    /** A worktree on an existing branch; its add waits behind the lanes' (nothing waits on it at once). */
    async checkoutWorktree(cwd: string, path: string, branch: string, reason: string): Promise<void> {
      await worktreeChanges(() => git(cwd, [...ADD, "--reason", reason, path, branch]));
      await populate(path);
    },
    /** Whether the worktree's checkout was ever written (see `populate`); false for one nax was killed making. */
    async populated(path: string): Promise<boolean> {
      const admin = await worktreeAdminDir(path);
      // Not a plain linked worktree: git made it some other way, so it is not one of nax's half-made ones.
      if (admin === undefined) return true;
      return stat(join(admin, "index")).then(
        () => true,
        () => false,
      );
    },
    /** Writes the checkout of a worktree added without one (an interrupted add's, for one). */
    populate,
    /**
     * What `git worktree unlock` does, without a process: the lock is the file `locked` in the worktree's
     * administrative folder (gitrepository-layout(5)), named by the worktree's `.git` file. git itself
     * unlocks when that file is not the plain kind.
     */
    async unlock(cwd: string, path: string): Promise<void> {
      const admin = await worktreeAdminDir(path);
      if (admin !== undefined) await rm(join(admin, "locked"), { force: true });
      else await worktreeChanges(() => git(cwd, ["worktree", "unlock", path], { okExitCodes: [128] }));
    },
    /** Removes a worktree; git itself refuses one with uncommitted changes (no `--force`, ever). */
    async removeWorktree(cwd: string, path: string): Promise<boolean> {
      const out = await worktreeChanges(() => git(cwd, ["worktree", "remove", path], { okExitCodes: [128] }));
      return out.exitCode === 0;
    },
    /** Forgets worktrees whose folders are gone (only the bookkeeping; no file is touched). */
    async prune(cwd: string): Promise<void> {
      await worktreeChanges(() => git(cwd, ["worktree", "prune"]));
    },
    async listWorktrees(cwd: string): Promise<WorktreeEntry[]> {
      const out = await worktreeChanges(() => git(cwd, ["worktree", "list", "--porcelain", "-z"]));
      const entries: WorktreeEntry[] = [];
      let current: WorktreeEntry | undefined;
      for (const field of splitNul(out.stdout)) {
        if (field.startsWith("worktree ")) {
          current = { path: field.slice("worktree ".length), locked: false };
          entries.push(current);
        } else if (current && field.startsWith("HEAD ")) current.head = field.slice(5);
        else if (current && field.startsWith("branch ")) current.branch = field.slice(7);
        else if (current && (field === "locked" || field.startsWith("locked "))) current.locked = true;
      }
      return entries;
    },
    /** Unmerged paths in the index: how a conflicted merge is recognised. */
    async unmergedPaths(cwd: string): Promise<string[]> {
      const out = await git(cwd, ["diff", "--name-only", "-z", "--diff-filter=U"]);
      return splitNul(out.stdout);
    },
    /**
     * Commits everything in the worktree (untracked files too; nax's runtime files and ignored
     * files stay out) with hooks skipped: keeping work must not depend on a hook's mood.
     * The new commit, or undefined when there was nothing to commit.
     */
    async commitEverything(cwd: string, message: string): Promise<string | undefined> {
      await git(cwd, ["add", "-A", "--", ...runtimeExcludes()]);
      const staged = await git(cwd, ["diff", "--cached", "--quiet"], { okExitCodes: [1] });
      if (staged.exitCode === 0) return undefined;
      const config = await authorFallback(git, cwd);
      await git(cwd, ["commit", "-q", "--no-verify", "--cleanup=whitespace", "-F", "-"], { stdin: message, config });
      return revParse(cwd, "HEAD");
    },
    /** Changed, staged or untracked (not ignored) paths, nax's runtime files left out. */
    async uncommittedPaths(cwd: string): Promise<string[]> {
      const out = await git(cwd, [
        ...READ_STATUS,
        "--porcelain",
        "-z",
        "--untracked-files=all",
        "--no-renames",
        "--",
        ...runtimeExcludes(),
      ]);
      return splitNul(out.stdout).map((entry) => entry.slice(3));
    },
    /** Untracked (not ignored) paths, nax's runtime files left out; reads no index and writes none. */
    async untrackedPaths(cwd: string): Promise<string[]> {
      const out = await git(cwd, ["ls-files", "--others", "--exclude-standard", "-z", "--", ...runtimeExcludes()]);
      return splitNul(out.stdout);
    },
    /** HEAD, branch and uncommitted paths in one process (three questions the fast-forward asks together). */
    async checkoutState(cwd: string): Promise<CheckoutState> {
      const out = await git(cwd, [
        ...READ_STATUS,
        "--porcelain=v2",
        "--branch",
        "-z",
        "--untracked-files=all",
        "--no-renames",
        "--",
        ...runtimeExcludes(),
      ]);
      return parseStatusV2(out.stdout);
    },
    async hasChanges(cwd: string): Promise<boolean> {
      const out = await git(cwd, [...READ_STATUS, "--porcelain", "-z", "--untracked-files=all"]);
      return out.stdout.length > 0;
    },
    async commonDir(cwd: string): Promise<string> {
      const out = await git(cwd, ["rev-parse", "--path-format=absolute", "--git-common-dir"]);
      return out.stdout.trim();
    },
    async isIgnored(cwd: string, path: string): Promise<boolean> {
      const out = await git(cwd, ["check-ignore", "-q", "--", path], { okExitCodes: [1] });
      return out.exitCode === 0;
    },
  };
}

export type WorktreeGit = ReturnType<typeof createWorktreeGit>;
