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

describe("go output parser: folders", () => {
  test("with the module path from go.mod, a failing test's file keeps its package folder", () => {
    const parsed = goParser.parse(fixture("go-fail-verbose.txt"), { goModule: "example.com/demo" });
    expect(parsed.failures.map((failure) => failure.file)).toEqual(["mathlib/mathlib_test.go", "strs/strs_test.go"]);
  });

  test("a test in the module's root package, or without go.mod, keeps the base name go printed", () => {
    const output = "--- FAIL: TestX (0.00s)\n    x_test.go:3: bad\nFAIL\nFAIL\texample.com/demo\t0.001s\n";
    expect(goParser.parse(output, { goModule: "example.com/demo" }).failures[0]?.file).toBe("x_test.go");
    expect(goParser.parse(fixture("go-fail.txt")).failures[0]?.file).toBe("mathlib_test.go");
  });
});
