/**
 * The git steps of the TDD strategies, in the attempt's worktree: what a
 * session changed (session-changes.ts), a commit at each session boundary
 * (so the next session's diff starts from a known commit), the frozen-tests
 * ref that carries a story's RED tests to its later attempts, the blob hashes
 * of test files for the ledger, and hiding a single session's non-test changes
 * while nax checks RED on the tests-only state (tdd-simple). Never a reset:
 * work is moved with commits and stashes, so nothing is thrown away.
 */
import { type AuthorFallback, createAuthorFallback } from "../git/commit";
import type { GitRunner } from "../git/run-git";
import { runtimeExcludes } from "../git/runtime-pathspecs";
import { createSessionChanges, type PathChange } from "./session-changes";

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `refs/nax/tdd/<feature>/<story>`: the commit holding a story's frozen tests. */
export function frozenTestsRef(feature: string, storyId: string): string {
  if (!SAFE.test(feature) || !SAFE.test(storyId)) throw new Error(`cannot name a ref for ${feature}/${storyId}`);
  return `refs/nax/tdd/${feature}/${storyId}`;
}

export interface TddGit {
  head(cwd: string): Promise<string>;
  /** The workdir's folder inside the repository (`packages/api/`), `""` at its root. */
  prefix(cwd: string): Promise<string>;
  changes(cwd: string, base: string): Promise<PathChange[]>;
  /** Commits everything the session left (nax's runtime files excepted); HEAD when there was nothing. */
  commitAll(cwd: string, message: string): Promise<string>;
  readRef(cwd: string, ref: string): Promise<string | undefined>;
  writeRef(cwd: string, ref: string, sha: string): Promise<void>;
  /** The commit's message, for the story fingerprint a frozen-tests commit carries. */
  message(cwd: string, sha: string): Promise<string>;
  /** Applies one commit on HEAD; false (and nothing applied) when it does not apply cleanly. */
  cherryPick(cwd: string, sha: string): Promise<boolean>;
  /** Git blob ids of the files as they are in the working tree (`deleted` for a missing one). */
  hashes(cwd: string, files: readonly string[]): Promise<Record<string, string>>;
  /** Stashes these paths' changes (untracked included); false when git refused. */
  hide(cwd: string, paths: readonly string[], label: string): Promise<boolean>;
  /** Brings the last `hide` back. */
  unhide(cwd: string): Promise<void>;
}

export function createTddGit(git: GitRunner): TddGit {
  const author: AuthorFallback = createAuthorFallback(git);
  const changes = createSessionChanges(git);
  const head = async (cwd: string) => (await git(cwd, ["rev-parse", "HEAD"])).stdout.trim();
  return {
    head,
    changes,
    prefix: async (cwd) => (await git(cwd, ["rev-parse", "--show-prefix"])).stdout.trim(),
    async commitAll(cwd, message) {
      await git(cwd, ["add", "-A", "--", ...runtimeExcludes()]);
      const staged = await git(cwd, ["diff", "--cached", "--quiet"], { okExitCodes: [1] });
      if (staged.exitCode === 0) return head(cwd);
      await git(cwd, ["commit", "--quiet", "--no-verify", "--cleanup=whitespace", "-F", "-"], {
        stdin: message,
        config: await author(cwd),
      });
      return head(cwd);
    },
    async readRef(cwd, ref) {
      const found = await git(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { okExitCodes: [1] });
      return found.exitCode === 0 ? found.stdout.trim() : undefined;
    },
    async writeRef(cwd, ref, sha) {
      await git(cwd, ["update-ref", ref, sha]);
    },
    async message(cwd, sha) {
      return (await git(cwd, ["log", "-1", "--format=%B", sha])).stdout;
    },
    async cherryPick(cwd, sha) {
      const picked = await git(cwd, ["cherry-pick", "--allow-empty", "--keep-redundant-commits", sha], {
        okExitCodes: [1, 128],
        config: await author(cwd),
      });
      if (picked.exitCode === 0) return true;
      // A conflict leaves a half-applied pick: undo only the pick itself, never the worktree's other work.
      await git(cwd, ["cherry-pick", "--abort"], { okExitCodes: [1, 128] });
      return false;
    },
    async hashes(cwd, files) {
      const result: Record<string, string> = {};
      for (const file of files) {
        const hashed = await git(cwd, ["hash-object", "--", file], { okExitCodes: [128] });
        result[file] = hashed.exitCode === 0 ? hashed.stdout.trim() : "deleted";
      }
      return result;
    },
    async hide(cwd, paths, label) {
      if (paths.length === 0) return true;
      const stashed = await git(cwd, ["stash", "push", "--include-untracked", "-m", label, "--", ...paths], {
        okExitCodes: [1],
      });
      return stashed.exitCode === 0;
    },
    async unhide(cwd) {
      await git(cwd, ["stash", "pop"]);
    },
  };
}
