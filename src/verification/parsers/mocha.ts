/**
 * Parser for mocha's default `spec` reporter. Counts come from the closing
 * `N passing` / `N failing` lines; each failure is a numbered block after
 * `N failing` (`1) suite` + indented title lines ending in `:`), its message
 * the lines up to the stack. Mocha names no file: the first stack frame
 * outside node_modules and node internals gives it.
 */
import type { TestFailure } from "../types";
import { commandBasenames, joinMessage, lastMatch, stripAnsi, toLines } from "./text";
import type { ParsedCounts, TestOutputParser } from "./types";

const PASSING = /^\s+(\d+) passing \(\d+(?:\.\d+)?m?s\)\s*$/gm;
const FAILING = /^\s+(\d+) failing\s*$/;
const BLOCK_START = /^\s{2}(\d+)\) (.+)$/;
const STACK = /^\s+at /;
const FRAME_FILE = /\(?((?:\/|\.\/|[\w.-]+\/)[^():\s]+\.[cm]?[jt]sx?):\d+:\d+\)?\s*$/;

function fileFromStack(lines: string[]): string | undefined {
  for (const line of lines) {
    if (!STACK.test(line) || /node_modules|\(node:|at node:/.test(line)) continue;
    const match = FRAME_FILE.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

function collectFailures(lines: string[]): TestFailure[] {
  const start = lines.findIndex((line) => FAILING.test(line));
  if (start < 0) return [];
  const failures: TestFailure[] = [];
  let index = start + 1;
  while (index < lines.length) {
    const header = BLOCK_START.exec(lines[index] ?? "");
    if (!header) {
      index += 1;
      continue;
    }
    const title = [header[2] ?? ""];
    index += 1;
    // The title goes on, one indented line per nesting level, until the line ending in `:`.
    while (!(title[title.length - 1] ?? "").endsWith(":") && index < lines.length && (lines[index] ?? "").trim()) {
      title.push((lines[index] ?? "").trim());
      index += 1;
    }
    const body: string[] = [];
    while (index < lines.length && !BLOCK_START.test(lines[index] ?? "")) {
      body.push(lines[index] ?? "");
      index += 1;
    }
    const stackAt = body.findIndex((line) => STACK.test(line));
    const message = stackAt >= 0 ? body.slice(0, stackAt) : body;
    const name = title
      .map((part) => part.trim())
      .join(" > ")
      .replace(/:$/, "");
    failures.push({ name, file: fileFromStack(body), message: joinMessage(message) });
  }
  return failures;
}

export const mochaParser: TestOutputParser = {
  name: "mocha",
  matchesCommand: (words) => commandBasenames(words).some((name) => name === "mocha" || name === "_mocha"),
  recognises: (output) => lastMatch(stripAnsi(output), PASSING) !== undefined,
  parse(output): ParsedCounts {
    const lines = toLines(output);
    const text = lines.join("\n");
    const passing = lastMatch(text, PASSING);
    const failing = lastMatch(text, /^\s+(\d+) failing\s*$/gm);
    const failures = collectFailures(lines);
    // Mocha prints `0 passing` even when every test fails, so a missing line means the run never got there.
    if (!passing) return { passedCount: 0, failedCount: failures.length, failures, recognised: false };
    const failedCount = Math.max(Number(failing?.[1] ?? 0), failures.length);
    return { passedCount: Number(passing[1]), failedCount, failures, recognised: true };
  },
};
