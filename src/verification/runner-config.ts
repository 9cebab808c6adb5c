/**
 * Runner config files that bound the suite when the command names no path
 * (trap 33, docs/traps.md). pytest's `testpaths` and bun's `[test] root`
 * apply only when no file is given on the command line: once nax names a
 * file, the runner runs it even if the user's suite never would. nax does not
 * interpret these settings; it only notices them and runs the full suite,
 * saying which file to change. jest and vitest need no check: they intersect
 * the files nax names with their own testMatch / include.
 */
import type { Fs } from "../system/fs";
import type { RunnerName } from "./parsers/types";

const PYTEST_FILES = ["pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"];

/** Why the config stops nax from adding files to a command with no path, or undefined. */
export async function configBoundReason(
  fs: Pick<Fs, "readText">,
  cwd: string,
  runner: RunnerName,
): Promise<string | undefined> {
  if (runner === "pytest") {
    for (const name of PYTEST_FILES) {
      const text = await fs.readText(`${cwd}/${name}`);
      if (text && /^\s*testpaths\s*=/m.test(text)) {
        return `${name} sets testpaths, which pytest ignores once nax names a file; put the test paths in the command (pytest tests/) to let nax scope`;
      }
    }
  }
  if (runner === "bun") {
    const text = await fs.readText(`${cwd}/bunfig.toml`);
    if (text && /^\s*root\s*=/m.test(text)) {
      return "bunfig.toml sets a test root; put it in the command (bun test ./dir) to let nax scope";
    }
  }
  return undefined;
}
