/**
 * Parser for vitest (colours stripped: vitest colours even piped output).
 * Counts come from the `Tests` summary line; failures from the ` FAIL  file >
 * suite > test` headers of its failure report. A suite that fails to load
 * (` FAIL  file [ file ]`) has no test in the counts, so it is added to them.
 */
import type { TestFailure } from "../types";
import { commandBasenames, joinMessage, lastMatch, stripAnsi, toLines } from "./text";
import type { ParsedCounts, TestOutputParser } from "./types";

const FAIL_HEADER = /^\s*FAIL\s+(.+)$/;
const SUITE_SUFFIX = /^(\S+) \[ .+ \]$/;

/**
 * The whole error under a FAIL header, blank lines included (assert's
 * `'AB' !== 'ab'` and the diff come after one), up to the code frame (`❯
 * file:line`), the rule closing the block or the next header.
 */
function messageAfter(lines: string[], start: number): string {
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const trimmed = line.trim();
    if (/^❯ /.test(trimmed) || /^⎯/.test(trimmed) || /^\d+\|/.test(trimmed) || FAIL_HEADER.test(line)) break;
    body.push(line);
  }
  return joinMessage(body);
}

function collectFailures(output: string): { failures: TestFailure[]; suiteFailures: number } {
  const lines = toLines(output);
  const failures: TestFailure[] = [];
  let suiteFailures = 0;
  lines.forEach((line, index) => {
    const header = FAIL_HEADER.exec(line);
    if (!header) return;
    const target = (header[1] ?? "").trim();
    const suite = SUITE_SUFFIX.exec(target);
    if (suite) {
      suiteFailures += 1;
      failures.push({ name: "(test file failed to load)", file: suite[1], message: messageAfter(lines, index) });
      return;
    }
    const parts = target.split(" > ");
    if (parts.length < 2) return;
    failures.push({ name: parts.slice(1).join(" > "), file: parts[0], message: messageAfter(lines, index) });
  });
  return { failures, suiteFailures };
}

export const vitestParser: TestOutputParser = {
  name: "vitest",
  matchesCommand: (words) => commandBasenames(words).includes("vitest"),
  recognises: (output) => {
    const text = stripAnsi(output);
    return /^\s*Test Files\s+\d+ /m.test(text) && /^\s*Tests\s+/m.test(text);
  },
  parse(output): ParsedCounts {
    const text = stripAnsi(output);
    const summary = lastMatch(text, /^\s*Tests\s+(.*\(\d+\))\s*$/gm);
    const { failures, suiteFailures } = collectFailures(output);
    if (!summary) return { passedCount: 0, failedCount: failures.length, failures, recognised: false };
    const counts = summary[1] ?? "";
    const failed = Number(/(\d+) failed/.exec(counts)?.[1] ?? 0);
    const passed = Number(/(\d+) passed/.exec(counts)?.[1] ?? 0);
    const failedCount = Math.max(failed + suiteFailures, failures.length);
    return { passedCount: passed, failedCount, failures, recognised: true };
  },
};
