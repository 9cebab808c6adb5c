/**
 * A worktree's HEAD commit read from git's own files instead of a `git
 * rev-parse` process: the story loop asks right after each commit it makes
 * (the story's, the landing's) and before each attempt (the integration
 * tip), and a process costs several milliseconds of wall and CPU each time.
 * Only the plain case is answered: `<root>/.git` (a folder, or a worktree's
 * `gitdir:` file), HEAD naming a branch whose loose ref holds a sha (git
 * writes the loose file on every update, so a ref just moved is always
 * loose; a loose ref overrides a packed one), or a detached HEAD's sha.
 * Anything else (a packed-only ref, the reftable backend, a subfolder, an
 * odd file) answers undefined and the caller asks git: never a guess.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

async function text(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, "utf8")).trim();
  } catch {
    return undefined;
  }
}

/** The folder holding HEAD, and the common folder holding branches (both `<root>/.git` in a main checkout). */
export async function gitDirs(root: string): Promise<{ gitDir: string; commonDir: string } | undefined> {
  const dotGit = join(root, ".git");
  const link = await text(dotGit);
  if (link === undefined) {
    // A folder (reading it failed): the main checkout, whose HEAD and refs are both there.
    return (await text(join(dotGit, "HEAD"))) === undefined ? undefined : { gitDir: dotGit, commonDir: dotGit };
  }
  if (!link.startsWith("gitdir: ")) return undefined;
  const gitDir = resolve(root, link.slice("gitdir: ".length));
  const common = await text(join(gitDir, "commondir"));
  return { gitDir, commonDir: common === undefined ? gitDir : resolve(gitDir, common) };
}

/** HEAD's commit at the top of a checkout or worktree, or undefined when only git can tell. */
export async function headFromFiles(root: string): Promise<string | undefined> {
  const dirs = await gitDirs(root);
  if (!dirs) return undefined;
  const head = await text(join(dirs.gitDir, "HEAD"));
  if (head === undefined) return undefined;
  if (SHA.test(head)) return head;
  if (!head.startsWith("ref: refs/heads/")) return undefined;
  const sha = await text(join(dirs.commonDir, head.slice("ref: ".length)));
  return sha !== undefined && SHA.test(sha) ? sha : undefined;
}
