/**
 * The story commit: stages the workdir's changes (everything but nax's
 * runtime files) and commits them with `feat(<id>): <title>` and the
 * `Nax-Story` / `Nax-Run` trailers. The message goes on stdin, never argv.
 * When the repo has no author configured, nax signs its own commits as
 * `nax <nax@localhost>` for that call only.
 */
import type { GitRunner } from "./run-git";
import { runtimeExcludes } from "./runtime-pathspecs";

export interface StoryCommitInput {
  cwd: string;
  storyId: string;
  title: string;
  runId: string;
}

export function storyCommitMessage(input: Omit<StoryCommitInput, "cwd">): string {
  // A title is one line in prd.json's eyes but may hold newlines; a subject must not.
  const subject = input.title.replace(/\s+/g, " ").trim();
  return `feat(${input.storyId}): ${subject}\n\nNax-Story: ${input.storyId}\nNax-Run: ${input.runId}\n`;
}

/** `-c` overrides for whatever identity the repo lacks. */
export async function authorFallback(git: GitRunner, cwd: string): Promise<string[]> {
  const overrides: string[] = [];
  const name = await git(cwd, ["config", "--get", "user.name"], { okExitCodes: [1] });
  if (name.exitCode !== 0 || name.stdout.trim() === "") overrides.push("user.name=nax");
  const email = await git(cwd, ["config", "--get", "user.email"], { okExitCodes: [1] });
  if (email.exitCode !== 0 || email.stdout.trim() === "") overrides.push("user.email=nax@localhost");
  return overrides;
}

export async function commitStory(
  git: GitRunner,
  input: StoryCommitInput,
): Promise<{ committed: boolean; sha: string | undefined }> {
  const { cwd } = input;
  await git(cwd, ["add", "-A", "--", ...runtimeExcludes()]);
  const staged = await git(cwd, ["diff", "--cached", "--quiet"], { okExitCodes: [1] });
  if (staged.exitCode === 0) {
    const head = await git(cwd, ["rev-parse", "--verify", "-q", "HEAD"], { okExitCodes: [1] });
    return { committed: false, sha: head.exitCode === 0 ? head.stdout.trim() : undefined };
  }
  const config = await authorFallback(git, cwd);
  // `whitespace` cleanup keeps a title that starts with '#' (the default would drop it as a comment).
  await git(cwd, ["commit", "--cleanup=whitespace", "-F", "-"], { stdin: storyCommitMessage(input), config });
  const head = await git(cwd, ["rev-parse", "HEAD"]);
  return { committed: true, sha: head.stdout.trim() };
}
