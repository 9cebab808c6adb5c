/**
 * Parser for `bun test`. Piped, bun prints one `(pass)` / `(fail)` line per
 * test and a ` N pass` / ` N fail` summary; the error block of a failing test
 * comes BEFORE its `(fail)` line. Counting ✓/✗ glyphs (which bun only draws on
 * a TTY) is how the reference reported 0 failures over failing tests (trap 22).
 */
import type { TestFailure } from "../types";
import { hasPair, joinMessage, lastMatch, stripAnsi, toLines } from "./text";
import type { ParsedCounts, TestOutputParser } from "./types";

const RESULT_LINE = /^\((pass|fail|skip|todo)\) (.*?)(?: \[[\d.]+m?s\])?$/;
const FILE_HEADER = /^(\S*(?:\.test|_test_|\.spec|_spec_)\S*):$/;
const UNHANDLED = /^# Unhandled error between tests$/;

/** The `error: …` part of a block, without source excerpt or stack frames. */
function errorMessage(block: string[]): string {
  const start = block.findIndex((line) => /^(error|\w*Error)\b.*:/.test(line.trim()));
  if (start < 0) return joinMessage(block.slice(-3));
  const body: string[] = [];
  for (const line of block.slice(start)) {
    if (/^\s+at /.test(line) || /^-{5,}$/.test(line.trim())) break;
    body.push(line);
  }
  return joinMessage(body);
}

function collectFailures(output: string): TestFailure[] {
  const failures: TestFailure[] = [];
  const seen = new Set<string>();
  let file: string | undefined;
  let block: string[] = [];
  let inUnhandled = false;
  const add = (failure: TestFailure) => {
    const key = `${failure.file ?? ""}\u0000${failure.name}`;
    if (seen.has(key)) return; // bun may repeat failures in a closing recap
    seen.add(key);
    failures.push(failure);
  };
  for (const line of toLines(output)) {
    const header = FILE_HEADER.exec(line);
    if (header) {
      file = header[1];
      block = [];
      continue;
    }
    if (UNHANDLED.test(line.trim())) {
      inUnhandled = true;
      block = [];
      continue;
    }
    if (inUnhandled) {
      // The block is framed by two dashed rules; the second one closes it.
      if (/^-{5,}$/.test(line.trim()) && block.some((l) => l.trim().length > 0)) {
        add({ name: "(unhandled error between tests)", file, message: errorMessage(block) });
        inUnhandled = false;
        block = [];
      } else if (!/^-{5,}$/.test(line.trim())) block.push(line);
      continue;
    }
    const result = RESULT_LINE.exec(line);
    if (!result) {
      block.push(line);
      continue;
    }
    if (result[1] === "fail") add({ name: result[2] ?? "", file, message: errorMessage(block) });
    block = [];
  }
  return failures;
}

export const bunParser: TestOutputParser = {
  name: "bun",
  matchesCommand: (words) => hasPair(words, "bun", "test"),
  recognises: (output) => {
    const text = stripAnsi(output);
    return /^bun test v\d/m.test(text) || (/^\s*\d+ pass$/m.test(text) && /^\s*\d+ fail$/m.test(text));
  },
  parse(output): ParsedCounts {
    const text = stripAnsi(output);
    const pass = lastMatch(text, /^\s*(\d+) pass$/gm);
    const fail = lastMatch(text, /^\s*(\d+) fail$/gm);
    const failures = collectFailures(output);
    if (!pass || !fail) {
      return { passedCount: 0, failedCount: failures.length, failures, recognised: false };
    }
    // An unhandled error is counted in " N fail" by bun 1.4, but not by every version: never report fewer than we saw.
    const failedCount = Math.max(Number(fail[1]), failures.length);
    return { passedCount: Number(pass[1]), failedCount, failures, recognised: true };
  },
};
