import { describe, expect, test } from "bun:test";
import { goParser } from "../../../../src/verification/parsers/go";
import { fixture } from "./fixtures";

describe("go test output parser", () => {
  test("recognises a passing run from its package lines", () => {
    expect(goParser.parse(fixture("go-pass.txt"))).toEqual({
      passedCount: 0,
      failedCount: 0,
      failures: [],
      recognised: true,
    });
  });

  test("counts failing leaf tests and a package that does not build", () => {
    const parsed = goParser.parse(fixture("go-fail.txt"));
    expect(parsed.recognised).toBe(true);
    expect(parsed.failedCount).toBe(3);
    expect(parsed.failures).toEqual([
      { name: "TestMul/small", file: "mathlib_test.go", message: "Mul(2, 3) = 6, want 7" },
      { name: "TestJoin", file: "strs_test.go", message: 'Join = "a-b", want "a+b"' },
      {
        name: "[build failed] example.com/demo/broken",
        file: "broken/broken.go",
        message: "broken/broken.go:3:27: undefined: missing",
      },
    ]);
  });

  test("attaches verbose-mode messages, printed before the result line, to the right test", () => {
    const parsed = goParser.parse(fixture("go-fail-verbose.txt"));
    expect([parsed.passedCount, parsed.failedCount]).toEqual([2, 2]);
    expect(parsed.failures.map((failure) => [failure.name, failure.message])).toEqual([
      ["TestMul/small", "Mul(2, 3) = 6, want 7"],
      ["TestJoin", 'Join = "a-b", want "a+b"'],
    ]);
  });

  test("does not recognise go output without any package line", () => {
    expect(goParser.parse("go: cannot find main module\n").recognised).toBe(false);
  });
});
