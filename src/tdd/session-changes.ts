/**
 * What one session changed, read from git against the commit it started
 * from: committed and uncommitted edits, deletions, renames (both names) and
 * untracked files. The path policy judges this list, so a session cannot hide
 * a change by committing it, deleting a file, renaming it or leaving it
 * untracked. nax's own runtime files are left out: nax writes them, not the
 * agent.
 */
import type { GitRunner } from "../git/run-git";
import { runtimeExcludes } from "../git/runtime-pathspecs";

export type ChangeKind = "added" | "modified" | "deleted" | "renamed" | "untracked";

export interface PathChange {
  path: string;
  kind: ChangeKind;
  /** A rename's old name: the file that is gone. */
  from?: string;
}

/** `git diff --name-status -z -M`: `M\0path\0`, `R087\0old\0new\0`, `C..` like R. */
export function parseNameStatus(text: string): PathChange[] {
  const fields = text.split("\0");
  const changes: PathChange[] = [];
  let index = 0;
  while (index < fields.length) {
    const status = fields[index] ?? "";
    if (status === "") {
      index += 1;
      continue;
    }
    const letter = status[0];
    if (letter === "R" || letter === "C") {
      const from = fields[index + 1] ?? "";
      const to = fields[index + 2] ?? "";
      changes.push(letter === "R" ? { path: to, kind: "renamed", from } : { path: to, kind: "added" });
      index += 3;
      continue;
    }
    const path = fields[index + 1] ?? "";
    const kind: ChangeKind = letter === "A" ? "added" : letter === "D" ? "deleted" : "modified";
    changes.push({ path, kind });
    index += 2;
  }
  return changes;
}

/** Every path a change touches: a rename touches the old name and the new one. */
export function touchedPaths(change: PathChange): string[] {
  return change.from === undefined ? [change.path] : [change.from, change.path];
}

export function createSessionChanges(git: GitRunner) {
  return async (cwd: string, base: string): Promise<PathChange[]> => {
    // The whole repository (`:/`), not only the workdir's folder: a change outside a package still counts.
    // Paths come out relative to the repository root; the runtime excludes are relative to the workdir.
    const pathspec = [":/", ...runtimeExcludes().slice(1)];
    const diff = await git(cwd, ["diff", "--name-status", "-z", "-M", base, "--", ...pathspec]);
    const untracked = await git(cwd, [
      "ls-files",
      "--others",
      "--exclude-standard",
      "--full-name",
      "-z",
      "--",
      ...pathspec,
    ]);
    const changes = parseNameStatus(diff.stdout);
    for (const path of untracked.stdout.split("\0")) if (path !== "") changes.push({ path, kind: "untracked" });
    return changes;
  };
}
export type SessionChanges = ReturnType<typeof createSessionChanges>;

/** A repository-relative path as seen from the workdir `prefix` (`packages/api/`); undefined outside it. */
export function fromPrefix(path: string, prefix: string): string | undefined {
  if (prefix === "") return path;
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}
