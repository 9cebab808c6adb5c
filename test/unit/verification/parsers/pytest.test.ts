import { describe, expect, test } from "bun:test";
import { pytestParser } from "../../../../src/verification/parsers/pytest";
import { fixture } from "./fixtures";

const EXPECTED = [
  ["TestMath::test_multiplies_two_numbers", "tests/test_mathlib.py"],
  ["TestMath::test_throws_an_error", "tests/test_mathlib.py"],
  ["test_joins_strings", "tests/test_strings.py"],
  ["test_is_odd[2]", "tests/test_strings.py"],
];

describe("pytest output parser", () => {
  test("reads the closing line of a passing run", () => {
    expect(pytestParser.parse(fixture("pytest-pass.txt"))).toEqual({
      passedCount: 4,
      failedCount: 0,
      failures: [],
      recognised: true,
    });
  });

  test("names every failure from the short test summary, in default and quiet mode", () => {
    for (const name of ["pytest-fail.txt", "pytest-fail-quiet.txt"]) {
      const parsed = pytestParser.parse(fixture(name));
      expect([parsed.passedCount, parsed.failedCount, parsed.recognised]).toEqual([3, 4, true]);
      expect(parsed.failures.map((failure) => [failure.name, failure.file])).toEqual(EXPECTED);
    }
  });

  test("takes the full E lines of the failure block rather than the truncated summary message", () => {
    const failures = pytestParser.parse(fixture("pytest-fail.txt")).failures;
    expect(failures[1]?.message).toBe("RuntimeError: boom from nested");
    expect(failures[2]?.message).toContain("AssertionError: assert 'a-b' == 'a+b'");
  });

  test("counts a collection error as a failure", () => {
    const parsed = pytestParser.parse(fixture("pytest-collection-error.txt"));
    expect([parsed.passedCount, parsed.failedCount, parsed.recognised]).toEqual([0, 1, true]);
    expect(parsed.failures[0]).toEqual({
      name: "(error collecting tests/test_broken.py)",
      file: "tests/test_broken.py",
      message: "ModuleNotFoundError: No module named 'does_not_exist'",
    });
  });

  test("is chosen for pytest and python -m pytest", () => {
    expect(pytestParser.matchesCommand(["pytest", "-q"])).toBe(true);
    expect(pytestParser.matchesCommand(["python3", "-m", "pytest"])).toBe(true);
    expect(pytestParser.matchesCommand(["python3", "-m", "unittest"])).toBe(false);
    expect(pytestParser.recognises(fixture("pytest-fail-quiet.txt"))).toBe(true);
  });
});
