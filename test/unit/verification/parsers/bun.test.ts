import { describe, expect, test } from "bun:test";
import { bunParser } from "../../../../src/verification/parsers/bun";
import { fixture } from "./fixtures";

describe("bun test output parser", () => {
  test("reads the pass and fail counts of a passing piped run", () => {
    const parsed = bunParser.parse(fixture("bun-pass.txt"));
    expect(parsed).toEqual({ passedCount: 4, failedCount: 0, failures: [], recognised: true });
  });

  test("reports every failing test of a piped run that prints (fail) lines, not ✗ glyphs (trap 22)", () => {
    const output = fixture("bun-fail.txt");
    expect(output).not.toContain("✗");
    const parsed = bunParser.parse(output);
    expect(parsed.recognised).toBe(true);
    expect(parsed.passedCount).toBe(2);
    expect(parsed.failedCount).toBe(4);
    expect(parsed.failures.map((failure) => [failure.name, failure.file])).toEqual([
      ["(unhandled error between tests)", "test/broken.test.ts"],
      ["math > multiplies two numbers", "test/math.test.ts"],
      ["math > nested > throws an error", "test/math.test.ts"],
      ["joins strings", "test/strings.test.ts"],
    ]);
  });

  test("takes each failure's message from the error block printed before its (fail) line", () => {
    const failures = bunParser.parse(fixture("bun-fail.txt")).failures;
    expect(failures[0]?.message).toContain("Cannot find module '../src/does-not-exist'");
    expect(failures[1]?.message).toBe("error: expect(received).toBe(expected)\nExpected: 7\nReceived: 6");
    expect(failures[2]?.message).toBe("error: boom from nested");
  });

  test("does not recognise output that has no pass/fail summary", () => {
    const parsed = bunParser.parse(fixture("bun-no-match.txt"));
    expect(parsed.recognised).toBe(false);
  });

  test("is chosen for bun test commands and for bun's own output", () => {
    expect(bunParser.matchesCommand(["bun", "test", "--timeout=1000"])).toBe(true);
    expect(bunParser.matchesCommand(["./node_modules/.bin/bun", "test"])).toBe(true);
    expect(bunParser.matchesCommand(["bun", "run", "test"])).toBe(false);
    expect(bunParser.recognises(fixture("bun-fail.txt"))).toBe(true);
    expect(bunParser.recognises(fixture("jest-fail.txt"))).toBe(false);
  });
});
