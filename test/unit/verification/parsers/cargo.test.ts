/** cargo is not installed here: these fixtures are hand-written to cargo's documented output (`*.hand-written.txt`). */
import { describe, expect, test } from "bun:test";
import { cargoParser } from "../../../../src/verification/parsers/cargo";
import { fixture } from "./fixtures";

describe("cargo test output parser", () => {
  test("sums the test result lines of every binary, doc-tests included", () => {
    expect(cargoParser.parse(fixture("cargo-pass.hand-written.txt"))).toEqual({
      passedCount: 3,
      failedCount: 0,
      failures: [],
      recognised: true,
    });
  });

  test("names a failing unit test with the file of its panic and the assertion's left and right", () => {
    const parsed = cargoParser.parse(fixture("cargo-fail.hand-written.txt"));
    expect([parsed.passedCount, parsed.failedCount, parsed.recognised]).toEqual([2, 1, true]);
    expect(parsed.failures).toEqual([
      {
        name: "strs::tests::lower_cases",
        file: "src/strs.rs",
        message: 'assertion `left == right` failed: lower-casing keeps nothing upper\n  left: "AB"\n right: "ab"',
      },
    ]);
  });

  test("an integration test binary keeps its folder in the file", () => {
    const parsed = cargoParser.parse(fixture("cargo-fail-integration.hand-written.txt"));
    expect([parsed.passedCount, parsed.failedCount]).toEqual([2, 1]);
    expect(parsed.failures[0]).toMatchObject({ name: "totals_include_tax", file: "tests/api/checkout.rs" });
    expect(parsed.failures[0]?.message).toBe("total with tax");
  });

  test("a crate that does not compile is one unrecognised failure naming the compiler error and its file", () => {
    const parsed = cargoParser.parse(fixture("cargo-build-error.hand-written.txt"));
    expect(parsed.recognised).toBe(false);
    expect(parsed.failures[0]).toMatchObject({ name: "(build failed)", file: "src/strs.rs" });
    expect(parsed.failures[0]?.message).toContain("error[E0308]: mismatched types");
  });

  test("is chosen for cargo test", () => {
    expect(cargoParser.matchesCommand(["cargo", "test", "--workspace"])).toBe(true);
    expect(cargoParser.recognises(fixture("cargo-fail.hand-written.txt"))).toBe(true);
  });
});
