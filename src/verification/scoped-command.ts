/**
 * The runner-aware builder of scoped test commands (traps 27 and 33,
 * docs/traps.md). It never removes or reinterprets a flag or a flag's value:
 * every word of the user's command is classified (runner-flags.ts), and the
 * only words it replaces are the user's own path arguments, each proven to be
 * a file or folder on disk. Those paths bound the candidates: a test file
 * outside them is never selected, so the scoped run is always a subset of
 * what the user's command runs. Whenever a word cannot be classified for
 * sure, the answer is the full suite with the reason.
 *
 * Per runner (a "path" below must exist on disk, relative to cwd):
 * - pytest: paths are roots; candidates under them replace them (node ids
 *   `file::test` and `--pyargs` mean the full suite; `--ignore` values are
 *   excluded from the candidates).
 * - bun: a path positional is a substring filter (`./x` an exact path); the
 *   candidates whose path contains it replace it, written `./file`.
 * - vitest: positionals are substring filters, as for bun; `run`, `watch`,
 *   `dev` are kept; `related`, `bench`, `list` mean the full suite.
 * - jest: positionals are regular expressions matched against absolute
 *   paths; the candidates they match replace them, regex-escaped. Array
 *   flags (`--testMatch a b`) take every following word, so files are
 *   inserted before them, never after.
 * - go: positionals are packages (`./...`, `./pkg/...`, `./pkg`, `.`); the
 *   candidates' package folders under them replace them. Import paths, and
 *   `go test` with no package (only the current folder), mean the full suite.
 * Without path arguments the files are added (appended, or right after the
 * runner when the last flag could swallow them); jest and vitest still
 * intersect them with their own config (testMatch, include).
 */
import { executableName } from "./parsers/text";
import type { RunnerName } from "./parsers/types";
import { flagKind } from "./runner-flags";
import { quoteShellArg, type ShellWord, splitShellWords } from "./shell-words";

/** What the builder may know of the project: which relative paths are files or folders. */
export interface PathLookup {
  cwd: string;
  kind(relative: string): "file" | "dir" | undefined;
}

export interface ReadCommand {
  runner: RunnerName;
  words: ShellWord[];
  /** Indexes (into words) of the positional arguments: the user's paths or filters. */
  positionals: number[];
  /** Where files go when there is no positional. */
  insertAt: number;
  /** pytest `--ignore` values: candidates under them are never selected. */
  ignored: string[];
  /** The last flag when it may still take the words after it (an array, optional or unknown flag). */
  openFlag?: string;
}

export type CommandReading = { ok: true; read: ReadCommand } | { ok: false; reason: string };

export type ScopeResult =
  | { kind: "scoped"; runner: RunnerName; command: string; files: string[] }
  | { kind: "full"; reason: string };

const SUBCOMMANDS: Partial<Record<RunnerName, ReadonlySet<string>>> = { vitest: new Set(["run", "watch", "dev"]) };

/** Where the runner's own arguments start, and which runner it is. */
function findRunner(list: ShellWord[]): { runner: RunnerName; argsFrom: number } | undefined {
  for (let index = 0; index < list.length; index += 1) {
    const name = executableName(list[index]?.value ?? "");
    const next = list[index + 1]?.value;
    if (name === "bun" && next === "test") return { runner: "bun", argsFrom: index + 2 };
    if (name === "go" && next === "test") return { runner: "go", argsFrom: index + 2 };
    if (name === "jest") return { runner: "jest", argsFrom: index + 1 };
    if (name === "vitest") return { runner: "vitest", argsFrom: index + 1 };
    if (name === "pytest" || name === "py.test") return { runner: "pytest", argsFrom: index + 1 };
    if (/^python[\d.]*$/.test(name) && next === "-m" && list[index + 2]?.value === "pytest") {
      return { runner: "pytest", argsFrom: index + 3 };
    }
  }
  return undefined;
}

const isFlag = (value: string) => value.startsWith("-") && value.length > 1 && !/^-\d/.test(value);

/** Classifies every word of the command; any word it cannot place makes the command unscopable. */
export function readTestCommand(command: string): CommandReading {
  const words = splitShellWords(command.trim());
  if (!words) {
    return { ok: false, reason: "it uses shell syntax nax does not rewrite (&&, |, ;, redirects, $, globs)" };
  }
  const found = findRunner(words);
  if (!found) return { ok: false, reason: "nax does not know its test runner (bun, jest, vitest, pytest, go)" };
  const { runner } = found;
  // go passes everything from `-args` on to the test binary: not ours to read.
  let end = words.length;
  if (runner === "go") {
    const at = words.findIndex((word, index) => index >= found.argsFrom && /^--?args$/.test(word.value));
    if (at >= 0) end = at;
  }
  let insertAt = found.argsFrom;
  const positionals: number[] = [];
  const ignored: string[] = [];
  let open: { flag: string; kind: "array" | "unknown" | "optional" } | undefined;
  for (let index = found.argsFrom; index < end; index += 1) {
    const value = (words[index] as ShellWord).value;
    if (value === "--") return { ok: false, reason: `"--" ends ${runner}'s options; nax does not guess what follows` };
    if (isFlag(value)) {
      open = undefined;
      const eq = value.indexOf("=");
      const name = eq > 0 ? value.slice(0, eq) : value;
      const kind = flagKind(runner, name);
      if (kind === "unsure") return { ok: false, reason: `"${name}" changes which tests ${runner} selects` };
      if (eq > 0) {
        if (runner === "pytest" && name === "--ignore") ignored.push(value.slice(eq + 1));
        continue;
      }
      if (kind === "value") {
        const next = words[index + 1];
        if (runner === "pytest" && value === "--ignore" && next) ignored.push(next.value);
        index += 1;
      } else if (kind !== "bool") open = { flag: value, kind: kind ?? "unknown" };
      continue;
    }
    if (open?.kind === "array") continue;
    if (open) {
      const what = open.kind === "optional" ? "takes an optional value" : "is a flag nax does not know";
      return { ok: false, reason: `cannot tell whether "${value}" is the value of "${open.flag}", which ${what}` };
    }
    if (index === found.argsFrom && SUBCOMMANDS[runner]?.has(value)) {
      insertAt = index + 1;
      continue;
    }
    if (index === found.argsFrom && runner === "vitest" && /^(related|bench|list|init|typecheck)$/.test(value)) {
      return { ok: false, reason: `"vitest ${value}" is not a plain test run` };
    }
    positionals.push(index);
  }
  // Files appended after a flag that may take values would become its values: put them first instead.
  if (!open) insertAt = end;
  const read: ReadCommand = { runner, words, positionals, insertAt, ignored };
  if (open) read.openFlag = open.flag;
  return { ok: true, read };
}

/** A user path relative to cwd, or undefined when it leaves the project. */
function relativePath(value: string, cwd: string): string | undefined {
  let path = value;
  if (path === cwd) return ".";
  if (path.startsWith(`${cwd}/`)) path = path.slice(cwd.length + 1);
  else if (path.startsWith("/")) return undefined;
  while (path.startsWith("./")) path = path.slice(2);
  path = path.replace(/\/+$/, "");
  if (path === "" || path === ".") return ".";
  return path.split("/").includes("..") ? undefined : path;
}

const under = (file: string, dir: string) => dir === "." || file === dir || file.startsWith(`${dir}/`);
const dirOf = (file: string) => (file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".");

type Selector = { ok: true; selects: (file: string) => boolean } | { ok: false; reason: string };

/** What one positional argument lets through, for this runner. */
function selector(runner: RunnerName, raw: string, paths: PathLookup): Selector {
  if (runner === "pytest" && raw.includes("::")) return { ok: false, reason: `"${raw}" selects single tests` };
  let value = raw;
  let recursive = true;
  if (runner === "go") {
    if (!(value === "." || value.startsWith("./") || value.startsWith("/"))) {
      return { ok: false, reason: `"${raw}" is a go import path, not a folder nax can see` };
    }
    if (value === "./..." || value.endsWith("/...")) value = value.slice(0, -4) || ".";
    else recursive = false;
  }
  const path = relativePath(value, paths.cwd);
  const kind = path === undefined ? undefined : path === "." ? "dir" : paths.kind(path);
  if (path === undefined || !kind) {
    return { ok: false, reason: `"${raw}" is not a file or folder in the project, so nax cannot bound the scope` };
  }
  if (runner === "go")
    return { ok: true, selects: (file) => (recursive ? under(dirOf(file), path) : dirOf(file) === path) };
  if (runner === "jest") {
    let pattern: RegExp;
    try {
      pattern = new RegExp(raw);
    } catch {
      return { ok: false, reason: `"${raw}" is not a regular expression jest can read` };
    }
    return { ok: true, selects: (file) => pattern.test(`${paths.cwd}/${file}`) };
  }
  // bun and vitest match a filter as a substring of the path; `./x` (bun) names an exact path.
  if ((runner === "bun" || runner === "vitest") && !raw.startsWith("./") && !raw.startsWith("/")) {
    return { ok: true, selects: (file) => file.includes(raw) };
  }
  return { ok: true, selects: (file) => under(file, path) };
}

function formatFiles(runner: RunnerName, files: string[]): string[] {
  if (runner === "bun") return files.map((file) => `./${file}`);
  // jest reads each argument as a regular expression: escape what would change its meaning.
  if (runner === "jest") return files.map((file) => file.replace(/[.[\]()+*?^$|{}\\]/g, "\\$&"));
  if (runner === "go") return [...new Set(files.map(dirOf))].map((dir) => (dir === "." ? "." : `./${dir}`));
  return files;
}

/** The user's command narrowed to the candidates its own paths allow, or the full suite and why. */
export function scopeTestCommand(read: ReadCommand, candidates: readonly string[], paths: PathLookup): ScopeResult {
  const { runner, words, positionals } = read;
  if (runner === "go" && positionals.length === 0) {
    return { kind: "full", reason: "go test without packages tests only the current folder; nothing narrower exists" };
  }
  const selectors: Array<(file: string) => boolean> = [];
  for (const index of positionals) {
    const found = selector(runner, (words[index] as ShellWord).value, paths);
    if (!found.ok) return { kind: "full", reason: found.reason };
    selectors.push(found.selects);
  }
  const ignored = read.ignored.map((value) => relativePath(value, paths.cwd));
  const files = candidates.filter(
    (file) =>
      (selectors.length === 0 || selectors.some((selects) => selects(file))) &&
      !ignored.some((dir) => dir !== undefined && under(file, dir)),
  );
  if (files.length === 0) {
    const bound = positionals.map((index) => (words[index] as ShellWord).raw).join(" ") || "--ignore";
    const shown = candidates.length > 5 ? `${candidates.slice(0, 5).join(", ")}, ...` : candidates.join(", ");
    return {
      kind: "full",
      reason: `no test file for the change (${shown}) lies within the command's paths (${bound})`,
    };
  }
  const inserted = formatFiles(runner, files).map(quoteShellArg);
  const parts: string[] = [];
  const at = positionals[0] ?? read.insertAt;
  words.forEach((word, index) => {
    if (index === at) parts.push(...inserted);
    if (!positionals.includes(index)) parts.push(word.raw);
  });
  if (at >= words.length) parts.push(...inserted);
  return { kind: "scoped", runner, command: parts.join(" "), files };
}

/** Reads and scopes in one step (the unit tests' entry point). */
export function buildScopedCommand(command: string, candidates: readonly string[], paths: PathLookup): ScopeResult {
  if (candidates.length === 0) return { kind: "full", reason: "no test file to run" };
  const reading = readTestCommand(command);
  if (!reading.ok) return { kind: "full", reason: `cannot scope "${command}": ${reading.reason}` };
  return scopeTestCommand(reading.read, candidates, paths);
}

/** Fills a `testScoped` template: `{{files}}` becomes the shell-quoted file list. */
export function fillScopedTemplate(template: string, files: string[]): string {
  return template.replaceAll("{{files}}", files.map(quoteShellArg).join(" "));
}
