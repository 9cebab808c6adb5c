/**
 * nax's runtime files as git pathspec excludes, built from the one list in
 * `state/paths.ts`. Commits, stashes and cleanliness checks leave these out
 * even when the project's .gitignore does not list them.
 */
import { RUNTIME_GITIGNORE, RUNTIME_ROOT_FILES } from "../state/paths";

/**
 * Translates a `nax/.gitignore` line into a glob with gitignore's meaning: a
 * pattern without a slash matches at any depth. Every result holds a
 * wildcard on purpose: `git add` rejects a wildcard-free exclude that names
 * an ignored file ("paths are ignored"), which would break commits in
 * projects that do ignore the runtime files.
 */
function toGlob(pattern: string): string {
  if (pattern.endsWith("/")) return `nax/${pattern}**`;
  if (!pattern.includes("/")) return `nax/**/${pattern}`;
  return `nax/${pattern}`;
}

/** `.` (the workdir) minus every runtime path; pathspecs are relative to the git call's cwd. */
export function runtimeExcludes(): string[] {
  const globs = [
    ...RUNTIME_GITIGNORE.map(toGlob),
    ...RUNTIME_ROOT_FILES.flatMap((file) => [`**/${file}`, `**/${file}.*.tmp`]),
  ];
  return [".", ...globs.map((glob) => `:(exclude,glob)${glob}`)];
}
