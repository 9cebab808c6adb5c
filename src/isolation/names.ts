/**
 * Every name isolation gives to something in git or on disk, in one place so
 * the run, `nax status` and `nax diagnose` agree: the story and integration
 * branches, the refs that keep failed attempts, and the worktree folders
 * (under NAX_HOME, outside the user's tree: a worktree under `.git/` would be
 * skipped by test runners that ignore VCS folders, e.g. jest and vitest).
 * Feature names and story ids are validated by their schemas before they get
 * here; they are checked again, since they become refs and paths.
 */
import { createHash } from "node:crypto";
import { basename, join } from "node:path";
import { NaxError } from "../errors";

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function safe(kind: string, value: string): string {
  if (!SAFE.test(value) || value.includes("..") || value.endsWith(".lock") || value.endsWith(".")) {
    throw new NaxError("INTERNAL", `the ${kind} ${JSON.stringify(value)} cannot name a git ref or folder`);
  }
  return value;
}

export function storyBranch(feature: string, storyId: string): string {
  return `nax/${safe("feature", feature)}/${safe("story id", storyId)}`;
}

export function integrationBranch(feature: string): string {
  return `nax/${safe("feature", feature)}/integration`;
}

/** The prefix under which a feature's (or one story's) failed attempts are kept. */
export function attemptRefPrefix(feature: string, storyId?: string): string {
  const base = `refs/nax/attempts/${safe("feature", feature)}/`;
  return storyId === undefined ? base : `${base}${safe("story id", storyId)}/`;
}

/** `refs/nax/attempts/<feature>/<story>/<n>`, with `-2`, `-3` … when an interrupted attempt already used `<n>`. */
export function attemptRef(feature: string, storyId: string, attempt: number, taken: readonly string[]): string {
  const base = `${attemptRefPrefix(feature, storyId)}${attempt}`;
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

/** `<NAX_HOME>/worktrees/<project>-<hash of its path>`: one folder per checkout, so two clones never share. */
export function worktreeRoot(naxHome: string, workdir: string): string {
  const hash = createHash("sha256").update(workdir).digest("hex").slice(0, 10);
  return join(naxHome, "worktrees", `${basename(workdir) || "project"}-${hash}`);
}

export function storyWorktreePath(root: string, feature: string, storyId: string, attempt: number): string {
  return join(root, safe("feature", feature), `${safe("story id", storyId)}-${attempt}`);
}

export function integrationWorktreePath(root: string, feature: string): string {
  return join(root, safe("feature", feature), "integration");
}

/** The one command that shows a kept attempt. */
export function inspectCommand(ref: string): string {
  return `git log -p ${ref}`;
}
