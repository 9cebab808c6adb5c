import { describe, expect, test } from "bun:test";
import { vitestParser } from "../../../../src/verification/parsers/vitest";
import { fixture } from "./fixtures";

const EXPECTED_FAILURES = [
  ["(test file failed to load)", "test/broken.test.js"],
  ["math > multiplies two numbers", "test/math.test.js"],
  ["math > nested > throws an error", "test/math.test.js"],
  ["joins strings", "test/strings.test.js"],
];

describe("vitest output parser", () => {
  test("reads the counts of a passing run through its ANSI colours", () => {
    const output = fixture("vitest-pass.txt");
    expect(output).toContain("\u001b[");
    expect(vitestParser.parse(output)).toEqual({ passedCount: 4, failedCount: 0, failures: [], recognised: true });
  });

  test("counts failing tests plus a file that failed to load, coloured or not", () => {
    for (const name of ["vitest-fail.txt", "vitest-fail-nocolor.txt"]) {
      const parsed = vitestParser.parse(fixture(name));
      expect([parsed.passedCount, parsed.failedCount, parsed.recognised]).toEqual([2, 4, true]);
      expect(parsed.failures.map((failure) => [failure.name, failure.file])).toEqual(EXPECTED_FAILURES);
    }
  });

  test("takes the error line under each FAIL header as the message", () => {
    const failures = vitestParser.parse(fixture("vitest-fail.txt")).failures;
    expect(failures[1]?.message).toBe("AssertionError: expected 6 to be 7 // Object.is equality");
    expect(failures[2]?.message).toBe("Error: boom from nested");
    expect(failures[0]?.message).toContain("Cannot find module '../src/does-not-exist.js'");
  });

  test("reads a run scoped to one file", () => {
    const parsed = vitestParser.parse(fixture("vitest-fail-single.txt"));
    expect([parsed.passedCount, parsed.failedCount]).toEqual([2, 2]);
  });

  test("is chosen for vitest commands and recognises vitest's summary", () => {
    expect(vitestParser.matchesCommand(["./node_modules/.bin/vitest", "run"])).toBe(true);
    expect(vitestParser.recognises(fixture("vitest-fail.txt"))).toBe(true);
    expect(vitestParser.recognises(fixture("jest-fail.txt"))).toBe(false);
  });
});
