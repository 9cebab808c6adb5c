import { describe, expect, test } from "bun:test";
import { jestParser } from "../../../../src/verification/parsers/jest";
import { fixture } from "./fixtures";

describe("jest output parser", () => {
  test("reads the counts of a passing run", () => {
    expect(jestParser.parse(fixture("jest-pass.txt"))).toEqual({
      passedCount: 4,
      failedCount: 0,
      failures: [],
      recognised: true,
    });
  });

  test("counts failing tests plus a suite that failed to run", () => {
    const parsed = jestParser.parse(fixture("jest-fail.txt"));
    expect(parsed.recognised).toBe(true);
    expect(parsed.passedCount).toBe(2);
    expect(parsed.failedCount).toBe(4);
    expect(parsed.failures.map((failure) => [failure.name, failure.file])).toEqual([
      ["math > multiplies two numbers", "test/math.test.js"],
      ["math > nested > throws an error", "test/math.test.js"],
      ["joins strings", "test/strings.test.js"],
      ["(test suite failed to run)", "test/broken.test.js"],
    ]);
  });

  test("keeps the assertion lines of a failure and leaves out the code frame", () => {
    const failure = jestParser.parse(fixture("jest-fail.txt")).failures[0];
    expect(failure?.message).toBe("expect(received).toBe(expected) // Object.is equality\nExpected: 7\nReceived: 6");
  });

  test("reads the verbose reporter jest uses for a single file", () => {
    const parsed = jestParser.parse(fixture("jest-fail-single.txt"));
    expect([parsed.passedCount, parsed.failedCount, parsed.recognised]).toEqual([2, 2, true]);
    expect(parsed.failures.map((failure) => failure.name)).toEqual([
      "math > multiplies two numbers",
      "math > nested > throws an error",
    ]);
  });

  test("counts a failure once when jest repeats it in its closing summary of failing tests", () => {
    const output = fixture("jest-fail.txt");
    const body = output.slice(0, output.indexOf("Test Suites:"));
    const summary = output.slice(output.indexOf("Test Suites:"));
    const repeated = `${body}Summary of all failing tests\n${body}${summary}`;
    const parsed = jestParser.parse(repeated);
    expect(parsed.failedCount).toBe(4);
    expect(parsed.failures).toHaveLength(4);
  });

  test("is chosen for jest commands and recognises jest's summary", () => {
    expect(jestParser.matchesCommand(["npx", "jest", "--ci"])).toBe(true);
    expect(jestParser.matchesCommand(["npm", "test"])).toBe(false);
    expect(jestParser.recognises(fixture("jest-pass.txt"))).toBe(true);
    expect(jestParser.recognises(fixture("vitest-pass.txt"))).toBe(false);
  });
});
