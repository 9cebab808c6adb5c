import { describe, expect, test } from "bun:test";
import { parseTestOutput, type RunnerName } from "../../../../src/verification/parsers/index";
import { fixture } from "./fixtures";

describe("parseTestOutput", () => {
  test("picks the parser from the command before looking at the output", () => {
    const parsed = parseTestOutput({ command: "bun test", output: fixture("bun-no-match.txt"), exitCode: 1 });
    expect(parsed.parser).toBe("bun");
    expect(parsed.recognised).toBe(false);
  });

  test("recognises each runner by its output when the command is a wrapper like npm test", () => {
    const cases: Array<[string, RunnerName]> = [
      ["bun-fail.txt", "bun"],
      ["jest-fail.txt", "jest"],
      ["vitest-fail.txt", "vitest"],
      ["pytest-fail.txt", "pytest"],
      ["go-fail.txt", "go"],
    ];
    for (const [file, parser] of cases) {
      expect(parseTestOutput({ command: "npm test", output: fixture(file), exitCode: 1 }).parser).toBe(parser);
    }
  });

  test("falls back to the exit code when nothing recognises the output", () => {
    const parsed = parseTestOutput({ command: "make check", output: "all good\n", exitCode: 0 });
    expect(parsed).toEqual({ parser: "exit-code", passedCount: 0, failedCount: 0, failures: [], recognised: false });
  });

  test("notes when the exit code contradicts the parsed failures", () => {
    const zeroButFailing = parseTestOutput({ command: "bun test", output: fixture("bun-fail.txt"), exitCode: 0 });
    expect(zeroButFailing.contradiction).toContain("exited 0");
    const failingButClean = parseTestOutput({ command: "bun test", output: fixture("bun-pass.txt"), exitCode: 1 });
    expect(failingButClean.contradiction).toContain("exited 1");
    const consistent = parseTestOutput({ command: "bun test", output: fixture("bun-pass.txt"), exitCode: 0 });
    expect(consistent.contradiction).toBeUndefined();
  });
});
