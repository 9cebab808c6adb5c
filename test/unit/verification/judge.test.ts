import { describe, expect, test } from "bun:test";
import { judgeRun } from "../../../src/verification/judge";
import type { ParsedTestOutput } from "../../../src/verification/parsers/index";
import type { ShellRun } from "../../../src/verification/run-shell";

const exited = (exitCode: number): ShellRun => ({
  termination: "exited",
  exitCode,
  signal: null,
  output: "",
  durationMs: 1,
});
const text = (failedCount: number, recognised = true): ParsedTestOutput => ({
  parser: "vitest",
  passedCount: 3,
  failedCount,
  failures: [],
  recognised,
});
const report = (failedCount: number) => ({
  ok: true as const,
  counts: {
    passedCount: 3,
    failedCount,
    failures: failedCount > 0 ? [{ name: "t > adds", file: "/p/test/a.test.js", message: "boom" }] : [],
    recognised: true,
  },
});

describe("judging a test run (trap 22: fail closed)", () => {
  test("a clean report and exit 0 pass, with the report as the source", () => {
    const judged = judgeRun({ run: exited(0), text: text(0), report: report(0) });
    expect(judged.passed).toBe(true);
    expect(judged.parsed.source).toBe("report");
  });

  test("a non-zero exit fails whatever the report says", () => {
    const judged = judgeRun({ run: exited(1), text: text(0), report: report(0) });
    expect(judged.passed).toBe(false);
    expect(judged.parsed.contradiction).toContain("exited 1");
  });

  test("the report's failures are listed with files made relative to the project", () => {
    const judged = judgeRun({ run: exited(1), text: text(1), report: report(1), cwd: "/p" });
    expect(judged.parsed.failures).toEqual([{ name: "t > adds", file: "test/a.test.js", message: "boom" }]);
  });

  test("an unreadable report is a failure even at exit 0", () => {
    const judged = judgeRun({ run: exited(0), text: text(0), report: { ok: false, problem: "not JSON" } });
    expect(judged.passed).toBe(false);
    expect(judged.parsed.contradiction).toContain("report could not be read (not JSON)");
  });

  test("output showing more failures than the report is a contradiction, so a failure", () => {
    const judged = judgeRun({ run: exited(0), text: text(2), report: report(0) });
    expect(judged.passed).toBe(false);
    expect(judged.parsed.contradiction).toContain("lists 0 failing test(s) but the output shows 2");
  });

  test("a missing report falls back to the text parser, which still needs its summary", () => {
    expect(judgeRun({ run: exited(0), text: text(0), report: { ok: false, missing: true } }).passed).toBe(true);
    expect(judgeRun({ run: exited(0), text: text(0, false), report: { ok: false, missing: true } }).passed).toBe(false);
  });

  test("a run that timed out never passes", () => {
    const run: ShellRun = { termination: "timeout", exitCode: null, signal: null, output: "", durationMs: 1 };
    expect(judgeRun({ run, text: text(0), report: report(0) }).passed).toBe(false);
  });
});
