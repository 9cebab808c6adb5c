/**
 * The story commit: stages the workdir's changes (everything but nax's
 * runtime files) and commits them with `feat(<id>): <title>` and the
 * `Nax-Story` / `Nax-Run` trailers (and `Nax-Verified: no` for a story whose tests were not run). The message goes on stdin, never argv.
 * When the repo has no author configured, nax signs its own commits as
 * `nax <nax@localhost>` for that call only.
 */
import { NaxError } from "../errors";
import { headFromFiles } from "./ref-files";
import type { GitRunner } from "./run-git";
import { runtimeExcludes } from "./runtime-pathspecs";

export interface StoryCommitInput {
  cwd: string;
  storyId: string;
  title: string;
  runId: string;
  /** False: the story passed without its tests being run (`requireTests: false`, trap 28). */
  verified?: boolean;
}

export function storyCommitMessage(input: Omit<StoryCommitInput, "cwd">): string {
  // A title is one line in prd.json's eyes but may hold newlines; a subject must not.
  const subject = input.title.replace(/\s+/g, " ").trim();
  const verified = input.verified === false ? "Nax-Verified: no\n" : "";
  return `feat(${input.storyId}): ${subject}\n\nNax-Story: ${input.storyId}\nNax-Run: ${input.runId}\n${verified}`;
}

/** `-c` overrides for whatever identity the repo lacks, from one `git config` call. */
export async function authorFallback(git: GitRunner, cwd: string): Promise<string[]> {
  const out = await git(cwd, ["config", "--get-regexp", "^user\\.(name|email)$"], { okExitCodes: [1] });
  const values = new Map<string, string>();
  for (const line of out.stdout.split("\n")) {
    const space = line.indexOf(" ");
    // The last value wins, as it does for git itself.
    if (space > 0) values.set(line.slice(0, space).toLowerCase(), line.slice(space + 1).trim());
  }
  const overrides: string[] = [];
  if (!values.get("user.name")) overrides.push("user.name=nax");
  if (!values.get("user.email")) overrides.push("user.email=nax@localhost");
  return overrides;
}

export type AuthorFallback = (cwd: string) => Promise<string[]>;

/**
 * `authorFallback` asked once per repository while the identity is complete: a configured author
 * does not vanish mid-run, and asking git before every commit cost a process per story. A
 * missing identity is asked again each time, so an author configured mid-run is used at once.
 * `scope` names the repository a folder belongs to (a run's worktrees share the checkout's
 * config); without it each folder is its own.
 */
export function createAuthorFallback(git: GitRunner, scope: (cwd: string) => string = (cwd) => cwd): AuthorFallback {
  const complete = new Set<string>();
  return async (cwd) => {
    const key = scope(cwd);
    if (complete.has(key)) return [];
    const overrides = await authorFallback(git, cwd);
    if (overrides.length === 0) complete.add(key);
    return overrides;
  };
}

/** `-c` settings that keep a commit from starting git's automatic housekeeping (git 2.29+, and older). */
const NO_AUTO_MAINTENANCE = ["maintenance.auto=false", "gc.auto=0"];

/** `redact`: the run's redactor (trap 30, docs/traps.md); a title copied from an error can hold a key's value. */
export async function commitStory(
  git: GitRunner,
  input: StoryCommitInput,
  author: AuthorFallback,
  redact: (text: string) => string,
): Promise<{ committed: boolean; sha: string | undefined }> {
  const { cwd } = input;
  await git(cwd, ["add", "-A", "--", ...runtimeExcludes()]);
  // No housekeeping after each of nax's many commits (`git maintenance run --auto` / `gc --auto`, a process
  // each): the run asks for it once at its end (isolation/workspace.ts).
  const config = [...NO_AUTO_MAINTENANCE, ...(await author(cwd))];
  // `whitespace` cleanup keeps a title that starts with '#' (the default would drop it as a comment);
  // `--quiet` spares git the summary and diffstat nobody reads (about a millisecond per commit).
  const commit = await git(cwd, ["commit", "--quiet", "--cleanup=whitespace", "-F", "-"], {
    stdin: redact(storyCommitMessage(input)),
    config,
    okExitCodes: [1],
  });
  if (commit.exitCode === 1) {
    // Exit 1 is git's "nothing to commit", and also a hook's refusal: only the index tells them apart.
    // Asked only here, not before every commit: a story almost always has something to commit.
    const staged = await git(cwd, ["diff", "--cached", "--quiet"], { okExitCodes: [1] });
    if (staged.exitCode === 1) {
      const detail = (commit.stderr.trim() || commit.stdout.trim()).slice(-2000);
      throw new NaxError("GIT_FAILED", `git commit failed in ${cwd} (exit 1): ${detail}`, { cwd, exitCode: 1 });
    }
    const head = await git(cwd, ["rev-parse", "--verify", "-q", "HEAD"], { okExitCodes: [1] });
    return { committed: false, sha: head.exitCode === 0 ? head.stdout.trim() : undefined };
  }
  // From git's files when they are plain (ref-files.ts), else from git: one process fewer per commit.
  const sha = (await headFromFiles(cwd)) ?? (await git(cwd, ["rev-parse", "HEAD"])).stdout.trim();
  return { committed: true, sha };
}
