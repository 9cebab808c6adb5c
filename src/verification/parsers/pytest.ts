/**
 * Parser for pytest. Counts come from the closing line (`4 failed, 3 passed,
 * 1 skipped in 0.51s`, framed by `=` in the default mode, bare with `-q`);
 * errors (collection, fixtures) count as failures. Names come from the short
 * summary (`FAILED file::Class::test - msg`); messages from the `E   ` lines
 * of the matching block in the FAILURES / ERRORS section.
 */
import type { TestFailure } from "../types";
import { commandBasenames, joinMessage, lastMatch, stripAnsi, toLines } from "./text";
import type { ParsedCounts, TestOutputParser } from "./types";

const CLOSING = /^=*\s*((?:\d+ \w+(?:, )?)+|no tests ran) in [\d.]+s(?: \([^)]*\))?\s*=*$/gm;
const SHORT_SUMMARY = /^(FAILED|ERROR) (\S+)(?: - (.*))?$/;
const BLOCK_HEADER = /^_{3,} (.+?) _{3,}$/;

/** Failure blocks by their header text (`TestMath.test_x`, `ERROR collecting tests/t.py`). */
function collectBlocks(lines: string[]): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of lines) {
    const header = BLOCK_HEADER.exec(line);
    if (header) {
      current = [];
      blocks.set(header[1] ?? "", current);
    } else if (/^={3,}/.test(line)) current = undefined;
    else current?.push(line);
  }
  return blocks;
}

function errorLines(block: string[] | undefined): string | undefined {
  const lines = (block ?? []).filter((line) => line.startsWith("E ")).map((line) => line.slice(1));
  return lines.length > 0 ? joinMessage(lines.slice(0, 8)) : undefined;
}

function collectFailures(output: string): TestFailure[] {
  const lines = toLines(output);
  const blocks = collectBlocks(lines);
  const failures: TestFailure[] = [];
  for (const line of lines) {
    const entry = SHORT_SUMMARY.exec(line);
    if (!entry) continue;
    const nodeId = entry[2] ?? "";
    const split = nodeId.indexOf("::");
    const file = split >= 0 ? nodeId.slice(0, split) : nodeId;
    const name = split >= 0 ? nodeId.slice(split + 2) : `(error collecting ${file})`;
    const header = split >= 0 ? name.replace(/::/g, ".") : `ERROR collecting ${file}`;
    const message = errorLines(blocks.get(header)) ?? entry[3] ?? entry[1] ?? "";
    failures.push({ name, file, message });
  }
  if (failures.length > 0) return failures;
  // No short summary (`-rN`): fall back to the block headers, file from the `path:line: Error` trailer.
  for (const [header, block] of blocks) {
    const where = block.map((line) => /^(\S+\.py):\d+: \w+/.exec(line)).find((match) => match !== null);
    failures.push({ name: header, file: where?.[1], message: errorLines(block) ?? "" });
  }
  return failures;
}

function count(summary: string, word: RegExp): number {
  let total = 0;
  for (const match of summary.matchAll(new RegExp(`(\\d+) ${word.source}\\b`, "g"))) total += Number(match[1]);
  return total;
}

export const pytestParser: TestOutputParser = {
  name: "pytest",
  matchesCommand: (words) => {
    const names = commandBasenames(words);
    return names.some(
      (name, index) => name === "pytest" || name === "py.test" || (name === "-m" && names[index + 1] === "pytest"),
    );
  },
  recognises: (output) => {
    const text = stripAnsi(output);
    return /^=+ test session starts =+$/m.test(text) || lastMatch(text, CLOSING) !== undefined;
  },
  parse(output): ParsedCounts {
    const summary = lastMatch(stripAnsi(output), CLOSING);
    const failures = collectFailures(output);
    if (!summary) return { passedCount: 0, failedCount: failures.length, failures, recognised: false };
    const counts = summary[1] ?? "";
    const failed = count(counts, /failed/) + count(counts, /errors?/);
    const failedCount = Math.max(failed, failures.length);
    return { passedCount: count(counts, /passed/), failedCount, failures, recognised: true };
  },
};
