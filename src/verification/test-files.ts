/**
 * Finding test files in a project and the tests that belong to a source file,
 * from the configurable `testFilePatterns` (`{name}`, `{ext}`, `{dir}`
 * placeholders, glob syntax). Nothing here knows a language: the defaults in
 * the config schema carry that knowledge, and a user can replace them.
 */
import type { Fs } from "../system/fs";
import type { PathLookup } from "./scoped-command";

export type ListFs = Pick<Fs, "readdir" | "stat">;

/** Folders that never hold the project's own tests and can be huge. */
const SKIPPED_DIRS = new Set(["node_modules", "dist", "build", "coverage", "vendor", "target", "__pycache__"]);

/** Deeper than this is a symlink loop or generated output, not a project's tests. */
const MAX_DEPTH = 32;

/**
 * Every file under `cwd` (relative, `/`-separated), or undefined past
 * `maxEntries` files and folders: too big to scan on the hot path (or a
 * symlink loop, since stat follows links).
 */
export async function listProjectFiles(fs: ListFs, cwd: string, maxEntries: number): Promise<string[] | undefined> {
  const files: string[] = [];
  const pending: Array<{ dir: string; depth: number }> = [{ dir: "", depth: 0 }];
  let entries = 0;
  while (pending.length > 0) {
    const { dir, depth } = pending.pop() as { dir: string; depth: number };
    const names = await fs.readdir(dir === "" ? cwd : `${cwd}/${dir}`);
    for (const name of names) {
      // Hidden folders (.git, .venv, .nax) and dependency folders are not the project's tests.
      if (name.startsWith(".") || SKIPPED_DIRS.has(name)) continue;
      entries += 1;
      if (entries > maxEntries) return undefined;
      const path = dir === "" ? name : `${dir}/${name}`;
      const stat = await fs.stat(`${cwd}/${path}`);
      if (stat?.isDirectory) {
        if (depth + 1 < MAX_DEPTH) pending.push({ dir: path, depth: depth + 1 });
      } else if (stat) files.push(path);
    }
  }
  return files.sort();
}

/** Escapes glob syntax in a file's own name so `[id].ts` matches itself. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]{}!\\]/g, "\\$&");
}

/** The pattern with every placeholder widened: what any test file looks like. */
function genericGlob(pattern: string): string {
  return pattern
    .replaceAll("{dir}/", "**/")
    .replaceAll("{dir}", "**")
    .replaceAll("{name}", "*")
    .replaceAll("{ext}", "*");
}

export function isTestFile(path: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => new Bun.Glob(genericGlob(pattern)).match(path));
}

function splitPath(path: string): { dir: string; name: string; ext: string } {
  const slash = path.lastIndexOf("/");
  const dir = slash >= 0 ? path.slice(0, slash) : "";
  const file = path.slice(slash + 1);
  const dot = file.lastIndexOf(".");
  return dot > 0 ? { dir, name: file.slice(0, dot), ext: file.slice(dot + 1) } : { dir, name: file, ext: "" };
}

/** The names a module is known by: `src/auth/index.ts` is imported as `auth`. */
export function moduleNames(path: string): string[] {
  const { dir, name } = splitPath(path);
  const parent = dir.slice(dir.lastIndexOf("/") + 1);
  return (name === "index" || name === "__init__" || name === "mod") && parent !== "" ? [name, parent] : [name];
}

/** Test files whose path matches a pattern filled in for this source file. */
export function testsByPattern(source: string, testFiles: readonly string[], patterns: readonly string[]): string[] {
  const { dir, ext } = splitPath(source);
  const globs: Bun.Glob[] = [];
  for (const name of moduleNames(source)) {
    for (const pattern of patterns) {
      const filled = pattern
        .replaceAll("{dir}/", dir === "" ? "" : `${escapeGlob(dir)}/`)
        .replaceAll("{dir}", escapeGlob(dir))
        .replaceAll("{name}", escapeGlob(name))
        .replaceAll("{ext}", escapeGlob(ext));
      globs.push(new Bun.Glob(filled));
    }
  }
  return testFiles.filter((file) => file !== source && globs.some((glob) => glob.match(file)));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Does this test file's text import the module? A line with import / require
 * / from that names it as the last segment of a quoted path (JS, TS), or a
 * Python `import` / `from` naming it as a dotted segment.
 */
export function importsModule(text: string, source: string): boolean {
  return moduleNames(source).some((name) => {
    const id = escapeRegExp(name);
    const quoted = new RegExp(`\\b(?:import|require|from)\\b.*['"\`](?:[^'"\`]*/)?${id}(?:\\.[\\w]+)?['"\`]`);
    const python = new RegExp(`^\\s*(?:from|import)\\s+(?:[\\w.]+\\.)?${id}(?:[\\s.,]|$)`);
    return text.split("\n").some((line) => quoted.test(line) || python.test(line));
  });
}

/** Which relative paths are files or folders, from a project listing (for the scoped-command builder). */
export function projectPaths(cwd: string, files: readonly string[]): PathLookup {
  const kinds = new Map<string, "file" | "dir">();
  for (const file of files) {
    kinds.set(file, "file");
    for (let slash = file.indexOf("/"); slash > 0; slash = file.indexOf("/", slash + 1)) {
      kinds.set(file.slice(0, slash), "dir");
    }
  }
  return { cwd, kind: (path) => kinds.get(path) };
}
