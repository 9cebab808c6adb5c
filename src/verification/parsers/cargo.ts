/**
 * Parser for `cargo test`. Each test binary prints `test name ... ok|FAILED`
 * lines and a `test result:` line; counts are the sum over binaries. A
 * failure's message is its `---- name stdout ----` block; its file the
 * `panicked at path:line:col` location, else the binary's source from the
 * `Running tests/x.rs (...)` line. A crate that does not compile prints no
 * `test result:` at all: that is one failure, read from `error[...]` and its
 * `--> file` line. cargo is not in nax's test environment: the fixtures this
 * parser is tested on are written by hand to cargo's documented format.
 */
import type { TestFailure } from "../types";
import { hasPair, joinMessage, stripAnsi, toLines } from "./text";
import type { ParsedCounts, TestOutputParser } from "./types";

const RESULT = /^test result: (ok|FAILED)\. (\d+) passed; (\d+) failed;/;
const TEST_LINE = /^test (\S+)(?: - should panic)? \.\.\. (ok|FAILED|ignored)/;
const BLOCK = /^---- (\S+) stdout ----$/;
const RUNNING = /^\s*Running (?:unittests )?(\S+\.rs) \(/;
const PANIC = /panicked at (?:'.*', )?([^\s:]+\.rs):\d+:\d+/;

function blockMessage(lines: string[]): string {
  const body = lines.filter((line) => !/^note: run with `RUST_BACKTRACE=1`/.test(line));
  return joinMessage(body.map((line) => line.replace(/^thread '.*' panicked at [^\s]+:$/, "")));
}

function buildFailure(lines: string[]): TestFailure | undefined {
  const start = lines.findIndex((line) => /^error(\[E\d+\])?: /.test(line));
  if (start < 0) return undefined;
  const file = lines
    .slice(start)
    .map((line) => /^\s*--> ([^:\s]+):\d+/.exec(line)?.[1])
    .find(Boolean);
  const message = lines.slice(start, start + 8).filter((line) => !/^\s*\|?\s*$/.test(line));
  return { name: "(build failed)", file, message: joinMessage(message) };
}

export const cargoParser: TestOutputParser = {
  name: "cargo",
  matchesCommand: (words) => hasPair(words, "cargo", "test"),
  recognises: (output) => /^test result: (ok|FAILED)\. \d+ passed;/m.test(stripAnsi(output)),
  parse(output): ParsedCounts {
    const lines = toLines(output);
    let passed = 0;
    let failed = 0;
    let results = 0;
    let binary: string | undefined;
    const failedTests = new Map<string, string | undefined>();
    const blocks = new Map<string, string[]>();
    let block: string[] | undefined;
    for (const line of lines) {
      const running = RUNNING.exec(line);
      if (running) binary = running[1];
      const result = RESULT.exec(line);
      if (result) {
        results += 1;
        passed += Number(result[2]);
        failed += Number(result[3]);
      }
      const header = BLOCK.exec(line);
      if (header) {
        block = [];
        blocks.set(header[1] ?? "", block);
        continue;
      }
      if (line === "failures:" || result) block = undefined;
      const test = TEST_LINE.exec(line);
      if (test && test[2] === "FAILED") failedTests.set(test[1] ?? "", binary);
      else block?.push(line);
    }
    const failures: TestFailure[] = [...failedTests].map(([name, source]) => {
      const body = blocks.get(name) ?? [];
      const panic = body.map((line) => PANIC.exec(line)?.[1]).find(Boolean);
      return { name, file: panic ?? source, message: blockMessage(body) };
    });
    if (results === 0) {
      const build = buildFailure(lines);
      if (build) failures.push(build);
      return { passedCount: 0, failedCount: failures.length, failures, recognised: false };
    }
    return { passedCount: passed, failedCount: Math.max(failed, failures.length), failures, recognised: true };
  },
};
