/**
 * The default `changedFiles(cwd, baseRef)`: `git diff --name-only <baseRef>`
 * (committed and uncommitted changes since the attempt began, relative to
 * cwd, which may be a package inside the repo) plus untracked
 * files, through the spawn helper with argv (no shell). The git service may
 * provide its own; the smart runner only needs the function.
 */
import { NaxError } from "../errors";
import type { Spawner } from "../system/spawn";

export type ChangedFiles = (cwd: string, baseRef: string) => Promise<string[]>;

const GIT_TIMEOUT_MS = 30_000;

export function createGitChangedFiles(deps: {
  spawn: Spawner;
  env: Readonly<Record<string, string | undefined>>;
}): ChangedFiles {
  const git = async (cwd: string, args: string[]): Promise<string[]> => {
    const result = await deps.spawn({ cmd: ["git", ...args], cwd, env: { ...deps.env }, timeoutMs: GIT_TIMEOUT_MS });
    if (result.kind === "not-found") throw new NaxError("GIT_FAILED", `git is not installed: ${result.message}`);
    if (result.kind !== "exited" || result.exitCode !== 0) {
      const why = result.kind === "exited" ? result.stderr.trim() : result.kind;
      throw new NaxError("GIT_FAILED", `git ${args[0]} failed in ${cwd}: ${why}`);
    }
    // -z: paths arrive raw, NUL-separated, never quoted or escaped.
    return result.stdout.split("\0").filter((path) => path.length > 0);
  };
  return async (cwd, baseRef) => {
    // A ref starting with "-" would be read as an option.
    if (baseRef.startsWith("-")) throw new NaxError("GIT_FAILED", `refusing the base ref ${JSON.stringify(baseRef)}`);
    const [diff, untracked] = await Promise.all([
      git(cwd, ["diff", "--name-only", "--relative", "-z", baseRef, "--"]),
      git(cwd, ["ls-files", "--others", "--exclude-standard", "-z"]),
    ]);
    return [...new Set([...diff, ...untracked])].sort();
  };
}
