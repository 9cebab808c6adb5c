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

describe("go output parser: go test -json", () => {
  // go is not installed here: the fixture is hand-written to test2json's documented event format.
  test("reads the test2json events of a failing run: counts, name, folder and message", () => {
    const parsed = goParser.parse(fixture("go-fail-json.hand-written.txt"), { goModule: "example.com/shop" });
    expect(parsed).toEqual({
      passedCount: 2,
      failedCount: 1,
      recognised: true,
      failures: [{ name: "TestLower", file: "pkg/strs/strs_test.go", message: 'Lower("AB") = "AB", want "ab"' }],
    });
  });

  test("a passing -json run is recognised, so it can pass (it is not 'no summary')", () => {
    const passing = fixture("go-fail-json.hand-written.txt")
      .split("\n")
      .filter((line) => line.includes("example.com/shop/money"))
      .join("\n");
    expect(goParser.recognises(passing)).toBe(true);
    expect(goParser.parse(passing)).toMatchObject({ passedCount: 1, failedCount: 0, recognised: true });
  });
});
