/**
 * Parser for `node --test`, in both of its default reporters: TAP (node 20
 * and 22 when stdout is not a terminal, so under nax) and spec (a terminal,
 * and node 23+). Counts come from the closing `# pass N` / `ℹ pass N` lines.
 * TAP failures are the `not ok` lines that are not a suite failing for its
 * subtests, named with their enclosing `# Subtest:` titles; message and file
 * come from the YAML block (`error:`, `location:`). Spec failures come from
 * the `✖ failing tests:` recap (`test at file:line:col`, `✖ name`, message).
 */
import type { TestFailure } from "../types";
import { commandBasenames, joinMessage, lastMatch, stripAnsi, toLines } from "./text";
import type { ParsedCounts, TestOutputParser } from "./types";

const SUBTEST = /^(\s*)# Subtest: (.*)$/;
const NOT_OK = /^(\s*)not ok \d+ - (.*?)(?: # (?:TODO|SKIP).*)?$/;
const LOCATION = /^\s*location: '(.+?):\d+:\d+'$/;

function tapFailures(lines: string[]): TestFailure[] {
  const failures: TestFailure[] = [];
  const titles: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    const subtest = SUBTEST.exec(line);
    if (subtest) {
      const depth = Math.floor((subtest[1] ?? "").length / 4);
      titles.length = depth;
      titles[depth] = subtest[2] ?? "";
      continue;
    }
    const failed = NOT_OK.exec(line);
    if (!failed) continue;
    const depth = Math.floor((failed[1] ?? "").length / 4);
    const block: string[] = [];
    for (let next = index + 1; next < lines.length; next += 1) {
      const yaml = lines[next] ?? "";
      if (yaml.trim() === "...") break;
      block.push(yaml);
    }
    if (block.some((yaml) => /failureType: 'subtestsFailed'/.test(yaml))) continue;
    const name = [...titles.slice(0, depth), failed[2] ?? ""].join(" > ");
    const file = block.map((yaml) => LOCATION.exec(yaml)?.[1]).find((found) => found !== undefined);
    failures.push({ name, file, message: yamlError(block) });
  }
  return failures;
}

/** The `error:` value of a TAP YAML block: one quoted line, or a `|-` block indented below the key. */
function yamlError(block: string[]): string {
  const at = block.findIndex((line) => /^\s*error: /.test(line));
  if (at < 0) return "";
  const keyLine = block[at] ?? "";
  const value = keyLine.replace(/^\s*error: /, "");
  if (!/^[|>]-?$/.test(value)) return value.replace(/^'(.*)'$/, "$1").replace(/''/g, "'");
  const keyIndent = keyLine.length - keyLine.trimStart().length;
  const body: string[] = [];
  for (const line of block.slice(at + 1)) {
    const indent = line.length - line.trimStart().length;
    if (line.trim() !== "" && indent <= keyIndent) break;
    body.push(line);
  }
  return joinMessage(body);
}

function specFailures(lines: string[]): TestFailure[] {
  const start = lines.findIndex((line) => line.trim() === "✖ failing tests:");
  if (start < 0) return [];
  const failures: TestFailure[] = [];
  let file: string | undefined;
  let current: { name: string; file?: string; body: string[] } | undefined;
  const close = () => {
    if (!current) return;
    const stackAt = current.body.findIndex((line) => /^\s+at /.test(line));
    const message = stackAt >= 0 ? current.body.slice(0, stackAt) : current.body;
    failures.push({ name: current.name, file: current.file, message: joinMessage(message) });
    current = undefined;
  };
  for (const line of lines.slice(start + 1)) {
    const where = /^test at (.+?):\d+:\d+$/.exec(line);
    if (where) {
      close();
      file = where[1];
      continue;
    }
    const header = /^✖ (.*?)(?: \([\d.]+m?s\))?$/.exec(line);
    if (header) {
      close();
      current = { name: header[1] ?? "", file, body: [] };
      continue;
    }
    current?.body.push(line);
  }
  close();
  return failures;
}

export const nodeTestParser: TestOutputParser = {
  name: "node",
  matchesCommand: (words) => {
    const names = commandBasenames(words);
    return names.includes("node") && words.includes("--test");
  },
  recognises: (output) => /^[#ℹ] tests \d+$/m.test(stripAnsi(output)) && /^[#ℹ] pass \d+$/m.test(stripAnsi(output)),
  parse(output): ParsedCounts {
    const lines = toLines(output);
    const text = lines.join("\n");
    const pass = lastMatch(text, /^[#ℹ] pass (\d+)$/gm);
    const fail = lastMatch(text, /^[#ℹ] fail (\d+)$/gm);
    const cancelled = lastMatch(text, /^[#ℹ] cancelled (\d+)$/gm);
    const tap = tapFailures(lines);
    const failures = tap.length > 0 ? tap : specFailures(lines);
    if (!pass || !fail) return { passedCount: 0, failedCount: failures.length, failures, recognised: false };
    // A cancelled test (a timeout, a parent that failed first) did not pass either.
    const failedCount = Math.max(Number(fail[1]) + Number(cancelled?.[1] ?? 0), failures.length);
    return { passedCount: Number(pass[1]), failedCount, failures, recognised: true };
  },
};
