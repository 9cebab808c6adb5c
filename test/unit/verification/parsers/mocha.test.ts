import { describe, expect, test } from "bun:test";
import { mochaParser } from "../../../../src/verification/parsers/mocha";
import { fixture } from "./fixtures";

describe("mocha output parser", () => {
  test("reads the counts of a passing run with a pending test", () => {
    expect(mochaParser.parse(fixture("mocha-pass.txt"))).toEqual({
      passedCount: 1,
      failedCount: 0,
      failures: [],
      recognised: true,
    });
  });

  test("names each failing test with its suite, its file from the stack, and its whole message", () => {
    const parsed = mochaParser.parse(fixture("mocha-fail.txt"));
    expect([parsed.passedCount, parsed.failedCount, parsed.recognised]).toEqual([1, 2, true]);
    expect(parsed.failures.map((failure) => [failure.name, failure.file])).toEqual([
      ["strings > lower-cases", "test/unit/strs.test.js"],
      ["strings > joins lines", "test/unit/strs.test.js"],
    ]);
    expect(parsed.failures[0]?.message).toContain("'AB' !== 'ab'");
    expect(parsed.failures[0]?.message).toContain("-AB\n+ab");
    expect(parsed.failures[1]?.message).toContain("- 'one\\ntwo\\nTHREE'");
    expect(parsed.failures[1]?.message).not.toContain("at Context");
  });

  test("an output without mocha's closing counts is not recognised (the run never finished)", () => {
    const cut = fixture("mocha-fail.txt").replace(/\d+ passing.*\n/, "");
    expect(mochaParser.parse(cut).recognised).toBe(false);
  });

  test("is chosen for mocha commands and recognises mocha's summary", () => {
    expect(mochaParser.matchesCommand(["npx", "mocha", "test/**/*.test.js"])).toBe(true);
    expect(mochaParser.matchesCommand(["./node_modules/.bin/_mocha"])).toBe(true);
    expect(mochaParser.recognises(fixture("mocha-fail.txt"))).toBe(true);
    expect(mochaParser.recognises(fixture("jest-fail.txt"))).toBe(false);
  });
});
