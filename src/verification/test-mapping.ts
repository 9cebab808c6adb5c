/**
 * From the files an attempt changed to the test files that cover them:
 * changed test files directly; source files through `testFilePatterns`; then
 * (fallback "import-grep") the test files that import the module. A source
 * file that maps to nothing makes the result `unmapped`: the caller must run
 * the full suite rather than skip its tests.
 */
import type { Fs } from "../system/fs";
import { importsModule, isTestFile, type ListFs, listProjectFiles, testsByPattern } from "./test-files";

export type MappingFs = ListFs & Pick<Fs, "readText">;

export type TestMapping =
  | { kind: "mapped"; files: string[]; how: Record<string, "changed" | "pattern" | "import"> }
  | { kind: "unmapped"; reason: string };

export interface MappingInput {
  cwd: string;
  changed: readonly string[];
  patterns: readonly string[];
  fallback: "import-grep" | "full-suite";
  /** Above this many project files and folders the scan costs more than it saves. */
  maxEntries?: number;
  /** The project's files when the caller has listed them already (see listProjectFiles). */
  projectFiles?: readonly string[];
}

/** Changes that cannot alter a test's outcome: nax's own state and PRD, and prose. */
function isInert(path: string): boolean {
  return path.startsWith("nax/") || /\.md$/i.test(path);
}

export async function mapChangesToTests(fs: MappingFs, input: MappingInput): Promise<TestMapping> {
  const changed = [...new Set(input.changed.map((path) => path.replace(/^\.\//, "")))].filter((p) => !isInert(p));
  if (changed.length === 0) return { kind: "unmapped", reason: "no source or test file changed" };
  const project = input.projectFiles ?? (await listProjectFiles(fs, input.cwd, input.maxEntries ?? 50_000));
  if (!project) return { kind: "unmapped", reason: "the project is too large to map changes to tests" };
  const existing = new Set(project);
  const testFiles = project.filter((path) => isTestFile(path, input.patterns));
  const how: Record<string, "changed" | "pattern" | "import"> = {};
  const sources: string[] = [];
  for (const path of changed) {
    // A deleted test file has nothing left to run; a deleted source still needs its tests run.
    if (isTestFile(path, input.patterns)) {
      if (existing.has(path)) how[path] = "changed";
    } else sources.push(path);
  }
  let texts: Map<string, string> | undefined;
  for (const source of sources) {
    const byPattern = testsByPattern(source, testFiles, input.patterns);
    for (const file of byPattern) how[file] ??= "pattern";
    if (byPattern.length > 0) continue;
    if (input.fallback !== "import-grep") return { kind: "unmapped", reason: `no test file matches ${source}` };
    texts ??= await readAll(fs, input.cwd, testFiles);
    const importers = testFiles.filter((file) => importsModule(texts?.get(file) ?? "", source));
    if (importers.length === 0) return { kind: "unmapped", reason: `no test file matches or imports ${source}` };
    for (const file of importers) how[file] ??= "import";
  }
  const files = Object.keys(how).sort();
  if (files.length === 0) return { kind: "unmapped", reason: "no test file is left to run for the change" };
  return { kind: "mapped", files, how };
}

async function readAll(fs: MappingFs, cwd: string, files: readonly string[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const file of files) texts.set(file, (await fs.readText(`${cwd}/${file}`)) ?? "");
  return texts;
}
