/**
 * The test-integrity guards, pure: given what changed since the story's base
 * commit (tracked, deleted, renamed and untracked files) and the text of each
 * test file before and after, each enabled guard reports what it found with
 * the evidence (file, line, what). A finding fails the attempt; it is never
 * a warning only. Counting is by text (markers.ts), so no test command runs
 * twice and the base needs no checkout.
 */
import type { GuardName } from "../../config/integrity-schema";
import type { FileChange } from "../../git/file-changes";
import type { TestFileMatcher } from "../test-paths";

export type { FileChange };

import { assertionStrength, countAssertions, countTestDeclarations, skipMarker } from "./markers";

export interface GuardEvidence {
  file: string;
  line?: number;
  what: string;
}

export interface GuardResult {
  guard: GuardName;
  passed: boolean;
  evidence: GuardEvidence[];
}

export interface IntegrityInput {
  changes: readonly FileChange[];
  isTestFile: TestFileMatcher;
  enabled: Readonly<Record<GuardName, boolean>>;
  /** A file's text at the base commit (undefined: absent there). */
  before(path: string): Promise<string | undefined>;
  /** A file's text in the attempt's tree now (undefined: absent). */
  after(path: string): Promise<string | undefined>;
}

interface TestFileDiff {
  change: FileChange;
  /** The path at the base (a rename's old path). */
  basePath: string;
  before: string | undefined;
  after: string | undefined;
}

/** Lines of `after` not in `before`, counted as a multiset, with their 1-based line numbers. */
export function addedLines(before: string | undefined, after: string): Array<{ line: number; text: string }> {
  const old = new Map<string, number>();
  for (const text of (before ?? "").split("\n")) old.set(text, (old.get(text) ?? 0) + 1);
  const added: Array<{ line: number; text: string }> = [];
  after.split("\n").forEach((text, index) => {
    const left = old.get(text) ?? 0;
    if (left > 0) old.set(text, left - 1);
    else added.push({ line: index + 1, text });
  });
  return added;
}

function removedLines(before: string, after: string | undefined): string[] {
  return addedLines(after, before).map((entry) => entry.text);
}

function deletedTests(diffs: readonly TestFileDiff[], isTestFile: TestFileMatcher): GuardEvidence[] {
  return diffs.flatMap(({ change, basePath, before }) => {
    if (before === undefined) return [];
    if (change.status === "deleted") return [{ file: basePath, what: "test file deleted" }];
    if (change.status === "renamed" && !isTestFile(change.path)) {
      return [{ file: basePath, what: `test file renamed to ${change.path}, which is not a test file` }];
    }
    return [];
  });
}

function testCount(diffs: readonly TestFileDiff[], isTestFile: TestFileMatcher): GuardEvidence[] {
  let before = 0;
  let after = 0;
  const dropped: GuardEvidence[] = [];
  for (const diff of diffs) {
    const was = diff.before === undefined ? 0 : countTestDeclarations(diff.before);
    // A file renamed to a non-test path declares no tests any more.
    const now = diff.after === undefined || !isTestFile(diff.change.path) ? 0 : countTestDeclarations(diff.after);
    before += was;
    after += now;
    if (now < was) dropped.push({ file: diff.change.path, what: `tests declared: ${was} at the base, ${now} now` });
  }
  // Tests may move between files; only a drop of the total is a loss.
  return after < before
    ? [...dropped, { file: "(all changed test files)", what: `tests declared: ${before} at the base, ${after} now` }]
    : [];
}

function skippedTests(diffs: readonly TestFileDiff[]): GuardEvidence[] {
  return diffs.flatMap(({ change, before, after }) => {
    if (after === undefined) return [];
    return addedLines(before, after).flatMap(({ line, text }) => {
      const marker = skipMarker(text);
      return marker ? [{ file: change.path, line, what: `added ${marker}: ${text.trim().slice(0, 160)}` }] : [];
    });
  });
}

function weakenedAssertions(diffs: readonly TestFileDiff[]): GuardEvidence[] {
  return diffs.flatMap(({ change, before, after }) => {
    if (before === undefined || after === undefined) return [];
    const found: GuardEvidence[] = [];
    const was = countAssertions(before);
    const now = countAssertions(after);
    if (now < was) found.push({ file: change.path, what: `assertions: ${was} at the base, ${now} now` });
    const strongRemoved = new Set(
      removedLines(before, after).flatMap((text) => {
        const strength = assertionStrength(text);
        return strength?.strength === "strong" ? [strength.subject] : [];
      }),
    );
    for (const { line, text } of addedLines(before, after)) {
      const strength = assertionStrength(text);
      if (strength?.strength === "loose" && strongRemoved.has(strength.subject)) {
        found.push({ file: change.path, line, what: `assertion on ${strength.subject} loosened: ${text.trim()}` });
      }
    }
    return found;
  });
}

async function testFileDiffs(input: IntegrityInput): Promise<TestFileDiff[]> {
  const touched = input.changes.filter(
    (change) => input.isTestFile(change.path) || (change.from !== undefined && input.isTestFile(change.from)),
  );
  return Promise.all(
    touched.map(async (change) => {
      const basePath = change.from ?? change.path;
      const before = change.status === "added" ? undefined : await input.before(basePath);
      const after = change.status === "deleted" ? undefined : await input.after(change.path);
      return { change, basePath, before, after };
    }),
  );
}

/** Every enabled guard's result, in a fixed order. */
export async function checkIntegrity(input: IntegrityInput): Promise<GuardResult[]> {
  const diffs = await testFileDiffs(input);
  // A renamed-away test file is judged by deletedTests; for the other guards it counts only where it is a test file.
  const asTests = diffs.filter((d) => input.isTestFile(d.change.path) || d.change.status === "deleted");
  const checks: Array<[GuardName, () => GuardEvidence[]]> = [
    ["deletedTests", () => deletedTests(diffs, input.isTestFile)],
    ["testCount", () => testCount(diffs, input.isTestFile)],
    ["skippedTests", () => skippedTests(asTests)],
    ["weakenedAssertions", () => weakenedAssertions(asTests)],
  ];
  return checks
    .filter(([name]) => input.enabled[name])
    .map(([guard, run]) => {
      const evidence = run();
      return { guard, passed: evidence.length === 0, evidence };
    });
}

/** One line per finding, for the failure reason and the next attempt's prompt. */
export function describeFindings(results: readonly GuardResult[]): string {
  return results
    .filter((r) => !r.passed)
    .flatMap((r) =>
      r.evidence.map((e) => `${r.guard}: ${e.file}${e.line === undefined ? "" : `:${e.line}`}: ${e.what}`),
    )
    .join("\n");
}
