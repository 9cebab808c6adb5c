/**
 * Runner config files that change what a scoped command means (trap 33,
 * docs/traps.md). pytest's `testpaths` and bun's `[test] root` apply only
 * when no file is given on the command line: once nax names a file, the
 * runner runs it even if the user's suite never would. pytest's `addopts`
 * are read as if written before the command's own words, so they are
 * classified like the command: a trailing `--cov` would take the file nax
 * adds as its value. nax does not interpret these settings beyond that; it
 * notices them and runs the full suite, saying which file to change. jest and
 * vitest need no check: they intersect the files nax names with their own
 * testMatch / include.
 */
import type { Fs } from "../system/fs";
import { type ReadCommand, readTestCommand } from "./scoped-command";
import { quoteShellArg } from "./shell-words";

const PYTEST_FILES = ["pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"];

/** The words of an `addopts = ...` setting, or undefined when nax cannot read it for sure. */
function addoptsWords(text: string): string | undefined | null {
  const match = /^([ \t]*)addopts[ \t]*=[ \t]*(.*)$/m.exec(text);
  if (!match) return null;
  const value = (match[2] ?? "").trim();
  const after = text.slice((match.index ?? 0) + match[0].length + 1).split("\n")[0] ?? "";
  if (value.startsWith("[")) {
    if (!value.endsWith("]")) return undefined;
    const items = [...value.matchAll(/"([^"]*)"|'([^']*)'/g)].map((item) => item[1] ?? item[2] ?? "");
    return items.map(quoteShellArg).join(" ");
  }
  // An ini value continued on indented lines.
  if (/^[ \t]+\S/.test(after) && !/^[ \t]*\[/.test(after) && !after.includes("=")) return undefined;
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

async function pytestReason(fs: Pick<Fs, "readText">, cwd: string, read: ReadCommand): Promise<string | undefined> {
  for (const name of PYTEST_FILES) {
    const text = await fs.readText(`${cwd}/${name}`);
    if (!text) continue;
    if (read.positionals.length === 0 && /^\s*testpaths\s*=/m.test(text)) {
      return `${name} sets testpaths, which pytest ignores once nax names a file; put the test paths in the command (pytest tests/) to let nax scope`;
    }
    const addopts = addoptsWords(text);
    if (addopts === null) continue;
    if (addopts === undefined) return `nax cannot read the addopts in ${name} for sure`;
    const reading = readTestCommand(`pytest ${addopts}`);
    if (!reading.ok) return `addopts in ${name}: ${reading.reason}`;
    if (reading.read.positionals.length > 0) return `addopts in ${name} names test paths of its own`;
    if (reading.read.openFlag) {
      return `addopts in ${name} ends with "${reading.read.openFlag}", which could take the file nax adds as its value`;
    }
  }
  return undefined;
}

/** Why the runner's config stops nax from scoping this command, or undefined. */
export async function configBoundReason(
  fs: Pick<Fs, "readText">,
  cwd: string,
  read: ReadCommand,
): Promise<string | undefined> {
  if (read.runner === "pytest") return pytestReason(fs, cwd, read);
  if (read.runner === "bun" && read.positionals.length === 0) {
    const text = await fs.readText(`${cwd}/bunfig.toml`);
    if (text && /^\s*root\s*=/m.test(text)) {
      return "bunfig.toml sets a test root; put it in the command (bun test ./dir) to let nax scope";
    }
  }
  return undefined;
}
