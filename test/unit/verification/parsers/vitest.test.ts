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

  test("takes the whole error under each FAIL header, its diff included, as the message", () => {
    const failures = vitestParser.parse(fixture("vitest-fail.txt")).failures;
    expect(failures[1]?.message).toBe(
      "AssertionError: expected 6 to be 7 // Object.is equality\n- Expected\n+ Received\n- 7\n+ 6",
    );
    expect(failures[2]?.message).toBe("Error: boom from nested");
    expect(failures[0]?.message).toContain("Cannot find module '../src/does-not-exist.js'");
  });

  test("keeps what follows the first blank line of a message: assert's 'AB' !== 'ab' and the line diff", () => {
    const parsed = vitestParser.parse(fixture("vitest-fail-multiline.txt"));
    expect([parsed.passedCount, parsed.failedCount]).toEqual([1, 2]);
    expect(parsed.failures.map((failure) => [failure.name, failure.file])).toEqual([
      ["strings > lower-cases", "test/unit/strs.test.js"],
      ["strings > joins lines", "test/unit/strs.test.js"],
    ]);
    expect(parsed.failures[0]?.message).toBe(
      "AssertionError: Expected values to be strictly equal:\n'AB' !== 'ab'\nExpected: \"ab\"\nReceived: \"AB\"",
    );
    expect(parsed.failures[1]?.message).toContain("- Expected\n+ Received\n  one\n  two\n- THREE\n+ three");
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
