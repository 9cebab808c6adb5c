import { describe, expect, test } from "bun:test";
import { nodeTestParser } from "../../../../src/verification/parsers/node-test";
import { fixture } from "./fixtures";

describe("node --test output parser", () => {
  test("reads passing runs in TAP and spec (a skipped test is neither passed nor failed)", () => {
    for (const name of ["node-test-tap-pass.txt", "node-test-spec-pass.txt"]) {
      expect(nodeTestParser.parse(fixture(name))).toEqual({
        passedCount: 1,
        failedCount: 0,
        failures: [],
        recognised: true,
      });
    }
  });

  test("TAP: names failing tests with their suite, file from location, and the whole error block", () => {
    const parsed = nodeTestParser.parse(fixture("node-test-tap-fail.txt"));
    expect([parsed.passedCount, parsed.failedCount, parsed.recognised]).toEqual([1, 2, true]);
    expect(parsed.failures.map((failure) => [failure.name, failure.file])).toEqual([
      ["strings > lower-cases", "/tmp/nax-cap/nt/test/unit/strs.test.js"],
      ["strings > joins lines", "/tmp/nax-cap/nt/test/unit/strs.test.js"],
    ]);
    expect(parsed.failures[0]?.message).toBe("Expected values to be strictly equal:\n'AB' !== 'ab'");
    expect(parsed.failures[1]?.message).toContain("+ 'one\\ntwo\\nthree'\n- 'one\\ntwo\\nTHREE'");
  });

  test("spec: reads the failing-tests recap with file and message, not the stack", () => {
    const parsed = nodeTestParser.parse(fixture("node-test-spec-fail.txt"));
    expect([parsed.passedCount, parsed.failedCount]).toEqual([1, 2]);
    expect(parsed.failures.map((failure) => [failure.name, failure.file])).toEqual([
      ["lower-cases", "test/unit/strs.test.js"],
      ["joins lines", "test/unit/strs.test.js"],
    ]);
    expect(parsed.failures[0]?.message).toBe(
      "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n'AB' !== 'ab'",
    );
  });

  test("is chosen for node --test and recognises both reporters' counts", () => {
    expect(nodeTestParser.matchesCommand(["node", "--test", "test/"])).toBe(true);
    expect(nodeTestParser.matchesCommand(["node", "scripts/build.js"])).toBe(false);
    expect(nodeTestParser.recognises(fixture("node-test-tap-fail.txt"))).toBe(true);
    expect(nodeTestParser.recognises(fixture("node-test-spec-fail.txt"))).toBe(true);
    expect(nodeTestParser.recognises(fixture("mocha-fail.txt"))).toBe(false);
  });
});
