/**
 * Parser for jest. Counts come from the `Tests:` summary; each failure is a
 * `●` block under its `FAIL <file>` line (the same in the default and the
 * verbose reporter). A suite that fails to run is not in `Tests:`, so it is
 * added to the failed count: an import error must never read as a pass.
 */
import type { TestFailure } from "../types";
import { commandBasenames, joinMessage, lastMatch, stripAnsi, toLines } from "./text";
import type { ParsedCounts, TestOutputParser } from "./types";

const SUITE_LINE = /^(PASS|FAIL)\s+(\S+)/;
const BLOCK_HEADER = /^\s{2}● (.+)$/;
const SUITE_FAILED = "Test suite failed to run";

/** Message lines stop at the code frame (`> 4 |`, `  5 |`) or the stack. */
function blockMessage(lines: string[]): string {
  const body: string[] = [];
  for (const line of lines) {
    if (/^\s*>?\s*\d+ \|/.test(line) || /^\s+at /.test(line)) break;
    body.push(line);
  }
  return joinMessage(body);
}

function collectFailures(output: string): { failures: TestFailure[]; suiteFailures: number } {
  const failures: TestFailure[] = [];
  let suiteFailures = 0;
  let file: string | undefined;
  let current: { name: string; file?: string; lines: string[] } | undefined;
  const seen = new Set<string>();
  const close = () => {
    if (!current) return;
    const key = `${current.file ?? ""}\u0000${current.name}`;
    // With many suites jest repeats every failure under "Summary of all failing tests".
    if (seen.has(key)) {
      current = undefined;
      return;
    }
    seen.add(key);
    const suite = current.name === SUITE_FAILED;
    if (suite) suiteFailures += 1;
    failures.push({
      name: suite ? "(test suite failed to run)" : current.name,
      file: current.file,
      message: blockMessage(current.lines),
    });
    current = undefined;
  };
  for (const line of toLines(output)) {
    const suite = SUITE_LINE.exec(line);
    if (suite || /^(Test Suites|Tests):/.test(line)) {
      close();
      if (suite) file = suite[2];
      continue;
    }
    const header = BLOCK_HEADER.exec(line);
    if (header) {
      close();
      // `● Console` blocks hold console output, not failures.
      if (header[1] !== "Console") current = { name: (header[1] ?? "").replace(/ › /g, " > "), file, lines: [] };
      continue;
    }
    current?.lines.push(line);
  }
  close();
  return { failures, suiteFailures };
}

export const jestParser: TestOutputParser = {
  name: "jest",
  matchesCommand: (words) => commandBasenames(words).includes("jest"),
  recognises: (output) => {
    const text = stripAnsi(output);
    return /^Tests:\s+.*\btotal$/m.test(text) && /^Test Suites:/m.test(text);
  },
  parse(output): ParsedCounts {
    const text = stripAnsi(output);
    const summary = lastMatch(text, /^Tests:\s+(.*)$/gm);
    const { failures, suiteFailures } = collectFailures(output);
    if (!summary) return { passedCount: 0, failedCount: failures.length, failures, recognised: false };
    const counts = summary[1] ?? "";
    const failed = Number(/(\d+) failed/.exec(counts)?.[1] ?? 0);
    const passed = Number(/(\d+) passed/.exec(counts)?.[1] ?? 0);
    const failedCount = Math.max(failed + suiteFailures, failures.length);
    return { passedCount: passed, failedCount, failures, recognised: true };
  },
};
