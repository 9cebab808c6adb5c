/**
 * The file-level diff of a worktree against a commit, with what a guard
 * needs that `changedFiles` drops: each path's status, a rename's old path
 * (renames detected), deleted files, and untracked (not ignored) files as
 * added. Also a file's text at a commit. Read-only git questions only.
 */
import { NaxError } from "../errors";
import type { GitRunner } from "./run-git";
import { splitNul } from "./run-git";
import { runtimeExcludes } from "./runtime-pathspecs";

export interface FileChange {
  status: "added" | "modified" | "deleted" | "renamed";
  path: string;
  /** A rename's old path. */
  from?: string;
}

function refuseOption(ref: string): void {
  // A ref starting with "-" would be read as an option.
  if (ref.startsWith("-")) throw new NaxError("GIT_FAILED", `refusing the ref ${JSON.stringify(ref)}`);
}

/** `git diff --name-status -z` entries: "M\0path", "R087\0old\0new", "D\0path". */
export function parseNameStatus(stdout: string): FileChange[] {
  const fields = splitNul(stdout);
  const changes: FileChange[] = [];
  for (let i = 0; i < fields.length; i++) {
    const code = (fields[i] ?? "").trim();
    const letter = code[0];
    if (letter === "R" || letter === "C") {
      const from = fields[i + 1] ?? "";
      const path = fields[i + 2] ?? "";
      i += 2;
      changes.push(letter === "R" ? { status: "renamed", path, from } : { status: "added", path });
      continue;
    }
    const path = fields[i + 1] ?? "";
    i += 1;
    if (letter === "A") changes.push({ status: "added", path });
    else if (letter === "D") changes.push({ status: "deleted", path });
    else changes.push({ status: "modified", path });
  }
  return changes;
}

/** Untracked, not ignored files (nax's runtime files left out): the agent's new files git does not know yet. */
function untrackedFiles(git: GitRunner, cwd: string) {
  return git(cwd, ["ls-files", "--others", "--exclude-standard", "-z", "--", ...runtimeExcludes()]);
}

/** The tracked changes plus each untracked file as added (one the diff already names is not counted twice). */
function withUntracked(tracked: FileChange[], untrackedStdout: string): FileChange[] {
  const seen = new Set(tracked.map((c) => c.path));
  const added = splitNul(untrackedStdout)
    .filter((path) => !seen.has(path))
    .map((path): FileChange => ({ status: "added", path }));
  return [...tracked, ...added];
}

export async function fileChanges(git: GitRunner, cwd: string, baseRef: string): Promise<FileChange[]> {
  refuseOption(baseRef);
  const [diff, untracked] = await Promise.all([
    git(cwd, ["diff", "--name-status", "-z", "-M", "--relative", baseRef, "--", ...runtimeExcludes()]),
    untrackedFiles(git, cwd),
  ]);
  return withUntracked(parseNameStatus(diff.stdout), untracked.stdout).sort((a, b) => a.path.localeCompare(b.path));
}

/** A file's text at `ref` (path relative to cwd), or undefined when it is not there. */
export async function fileAt(git: GitRunner, cwd: string, ref: string, path: string): Promise<string | undefined> {
  refuseOption(ref);
  const out = await git(cwd, ["show", `${ref}:./${path}`], { okExitCodes: [128] });
  return out.exitCode === 0 ? out.stdout : undefined;
}

export interface DiffStat {
  files: number;
  insertions: number;
  deletions: number;
}

/**
 * `git diff --raw --numstat -z` entries, one process for both: raw records (":modes shas STATUS\0path\0",
 * a rename's or copy's two paths) come first, then numstat records ("added\tremoved\tpath\0", or
 * "added\tremoved\t\0old\0new\0" for a rename). Binary files count "-": they change no line.
 */
export function parseRawNumstat(stdout: string): { changes: FileChange[]; insertions: number; deletions: number } {
  const fields = splitNul(stdout);
  const raw: string[] = [];
  let insertions = 0;
  let deletions = 0;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] ?? "";
    if (field.startsWith(":")) {
      const code = field.slice(field.lastIndexOf(" ") + 1);
      const paths = code[0] === "R" || code[0] === "C" ? 2 : 1;
      raw.push(code, ...fields.slice(i + 1, i + 1 + paths));
      i += paths;
      continue;
    }
    const [added = "", removed = "", path = ""] = field.split("\t");
    insertions += Number.parseInt(added, 10) || 0;
    deletions += Number.parseInt(removed, 10) || 0;
    if (path === "") i += 2;
  }
  return { changes: parseNameStatus(raw.join("\0")), insertions, deletions };
}

/** Changes since `baseRef`: files (untracked included), and lines added and removed in tracked files. */
export async function diffStat(git: GitRunner, cwd: string, baseRef: string): Promise<DiffStat> {
  refuseOption(baseRef);
  const [diff, untracked] = await Promise.all([
    git(cwd, ["diff", "--raw", "--numstat", "-z", "-M", "--relative", baseRef, "--", ...runtimeExcludes()]),
    untrackedFiles(git, cwd),
  ]);
  const { changes, insertions, deletions } = parseRawNumstat(diff.stdout);
  return { files: withUntracked(changes, untracked.stdout).length, insertions, deletions };
}
