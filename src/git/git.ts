/**
 * The git service: the few questions and actions nax needs, every one an
 * argv call through the spawn helper. Story attribution is by exact
 * `Nax-Story` trailer value, never by commit-message substring (trap 20).
 * Nothing here deletes untracked files or stashes anything (trap 19): an
 * attempt's work lives in its own worktree and is kept in an attempt ref.
 */
import { NaxError } from "../errors";
import type { Redactor } from "../system/secrets";
import { commitStory, createAuthorFallback, type StoryCommitInput } from "./commit";
import { type DiffStat, diffStat, type FileChange, fileAt, fileChanges } from "./file-changes";
import { READ_STATUS } from "./read-status";
import { createGitRunner, type GitDeps, splitNul } from "./run-git";
import { runtimeExcludes } from "./runtime-pathspecs";

export interface Git {
  isRepo(cwd: string): Promise<boolean>;
  /** The current commit, or undefined in a repo with no commits yet. */
  head(cwd: string): Promise<string | undefined>;
  /** Files changed since `baseRef` (committed, staged or not) plus untracked, not ignored ones; relative to cwd. */
  changedFiles(cwd: string, baseRef: string): Promise<string[]>;
  /** Each path's change since `baseRef`: status, a rename's old path, deleted and untracked files included. */
  fileChanges(cwd: string, baseRef: string): Promise<FileChange[]>;
  /** A file's text at `ref`, or undefined when it is not there. */
  fileAt(cwd: string, ref: string, path: string): Promise<string | undefined>;
  /** Files, insertions and deletions since `baseRef` (untracked files counted). */
  diffStat(cwd: string, baseRef: string): Promise<DiffStat>;
  commitStory(input: StoryCommitInput): Promise<{ committed: boolean; sha: string | undefined }>;
  /** Commits whose `Nax-Story` trailer is exactly `storyId`, newest first. */
  storyCommits(cwd: string, storyId: string): Promise<string[]>;
  filesInCommits(cwd: string, shas: string[]): Promise<string[]>;
  /** No changes outside nax's runtime files (and the `keep` paths). */
  isClean(cwd: string, keep?: readonly string[]): Promise<boolean>;
  /** The paths `isClean` would object to: changed, staged or untracked (not ignored). */
  uncommitted(cwd: string, keep?: readonly string[]): Promise<string[]>;
}

/** Pathspecs for the workdir minus the runtime files and `keep`; `:(literal)` so a path is never read as a glob. */
function excluding(keep: readonly string[]): string[] {
  return [...runtimeExcludes(), ...keep.map((path) => `:(exclude,literal)${path}`)];
}

export interface CreateGitDeps extends GitDeps {
  /** What every commit message passes through before git sees it (secret values redacted). */
  redactor: Pick<Redactor, "text">;
  /** The repository a folder belongs to, for the author question (a run's worktrees share the checkout's config). */
  repositoryOf?: (cwd: string) => string;
}

export function createGit(deps: CreateGitDeps): Git {
  const git = createGitRunner(deps);
  const author = createAuthorFallback(git, deps.repositoryOf);
  const head = async (cwd: string) => {
    const out = await git(cwd, ["rev-parse", "--verify", "-q", "HEAD"], { okExitCodes: [1] });
    return out.exitCode === 0 ? out.stdout.trim() : undefined;
  };
  return {
    async isRepo(cwd) {
      const out = await git(cwd, ["rev-parse", "--is-inside-work-tree"], { okExitCodes: [128] });
      return out.exitCode === 0 && out.stdout.trim() === "true";
    },
    head,
    async changedFiles(cwd, baseRef) {
      // A ref starting with "-" would be read as an option.
      if (baseRef.startsWith("-")) throw new NaxError("GIT_FAILED", `refusing the base ref ${JSON.stringify(baseRef)}`);
      // Two read-only questions, asked at once: one process's wait instead of two on every verify.
      const [diff, untracked] = await Promise.all([
        git(cwd, ["diff", "--name-only", "-z", "--relative", baseRef, "--", ...runtimeExcludes()]),
        git(cwd, ["ls-files", "--others", "--exclude-standard", "-z", "--", ...runtimeExcludes()]),
      ]);
      return [...new Set([...splitNul(diff.stdout), ...splitNul(untracked.stdout)])].sort();
    },
    fileChanges: (cwd, baseRef) => fileChanges(git, cwd, baseRef),
    fileAt: (cwd, ref, path) => fileAt(git, cwd, ref, path),
    diffStat: (cwd, baseRef) => diffStat(git, cwd, baseRef),
    commitStory: (input) => commitStory(git, input, author, deps.redactor.text),
    async storyCommits(cwd, storyId) {
      if ((await head(cwd)) === undefined) return [];
      const out = await git(cwd, [
        "log",
        "-z",
        "--fixed-strings",
        `--grep=Nax-Story: ${storyId}`,
        "--format=%H%x1f%(trailers:key=Nax-Story,valueonly,separator=%x1e)",
      ]);
      return splitNul(out.stdout).flatMap((record) => {
        const [sha = "", values = ""] = record.split("\x1f");
        const ids = values.split("\x1e").map((value) => value.trim());
        return ids.includes(storyId) ? [sha.trim()] : [];
      });
    },
    async filesInCommits(cwd, shas) {
      if (shas.length === 0) return [];
      const out = await git(cwd, ["show", "--name-only", "-z", "--format=", ...shas]);
      return [...new Set(splitNul(out.stdout).map((name) => name.replace(/^\n/, "")))].sort();
    },
    async isClean(cwd, keep = []) {
      const out = await git(cwd, [...READ_STATUS, "--porcelain", "-z", "--", ...excluding(keep)]);
      return out.stdout.length === 0;
    },
    async uncommitted(cwd, keep = []) {
      const out = await git(cwd, [
        ...READ_STATUS,
        "--porcelain",
        "-z",
        "--untracked-files=all",
        "--",
        ...excluding(keep),
      ]);
      // Each entry is "XY path" (a rename adds the old path as the next entry, which we skip).
      const entries = splitNul(out.stdout);
      const paths: string[] = [];
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i] as string;
        paths.push(entry.slice(3));
        if (entry[0] === "R" || entry[0] === "C") i++;
      }
      return paths;
    },
  };
}
