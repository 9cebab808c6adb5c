import { describe, expect, test } from "bun:test";
import { checkIntegrity, describeFindings, type FileChange } from "../../../../src/verification/integrity/guards";
import {
  assertionStrength,
  countAssertions,
  countTestDeclarations,
  skipMarker,
} from "../../../../src/verification/integrity/markers";
import { DEFAULT_TEST_FILE_GLOBS, testFileMatcher } from "../../../../src/verification/test-paths";

const allOn = { deletedTests: true, testCount: true, skippedTests: true, weakenedAssertions: true };
const isTest = testFileMatcher(DEFAULT_TEST_FILE_GLOBS);

function check(changes: FileChange[], before: Record<string, string>, after: Record<string, string>, enabled = allOn) {
  return checkIntegrity({
    changes,
    isTestFile: isTest,
    enabled,
    before: async (path) => before[path],
    after: async (path) => after[path],
  });
}

const twoTests =
  'test("adds", () => {\n  expect(add(1, 2)).toBe(3);\n});\ntest("subtracts", () => {\n  expect(sub(3, 1)).toBe(2);\n});\n';

describe("what a test file is", () => {
  test("the default globs cover JS/TS, test folders, Python, Go and Rust, and not source files", () => {
    for (const path of [
      "src/a.test.ts",
      "a.spec.js",
      "test/helpers.ts",
      "tests/test_x.py",
      "pkg/x_test.go",
      "crate/tests/it.rs",
      "src/lib_test.rs",
      "app/__tests__/a.js",
    ]) {
      expect({ path, test: isTest(path) }).toEqual({ path, test: true });
    }
    for (const path of ["src/a.ts", "lib/testing.py", "main.go", "src/lib.rs", "contest.py"]) {
      expect({ path, test: isTest(path) }).toEqual({ path, test: false });
    }
  });
});

describe("the markers", () => {
  test("test declarations are counted across languages", () => {
    expect(countTestDeclarations(twoTests)).toBe(2);
    expect(countTestDeclarations("def test_a():\n    assert 1\nasync def test_b():\n    pass\ndef helper():\n")).toBe(
      2,
    );
    expect(countTestDeclarations("func TestAdd(t *testing.T) {\n}\nfunc helper() {}\n")).toBe(1);
    expect(countTestDeclarations("#[test]\nfn a() {}\n#[tokio::test]\nasync fn b() {}\n")).toBe(2);
    expect(countTestDeclarations('it.each([1, 2])("works %d", (n) => {});\nconst latest = 1;\n')).toBe(1);
  });

  test("skip and focus markers are recognised, ordinary calls are not", () => {
    expect(skipMarker('test.skip("adds", () => {')).toBe(".skip");
    expect(skipMarker('describe.only("math", () => {')).toBe(".only");
    expect(skipMarker('it.todo("later")')).toBe(".todo");
    expect(skipMarker('xit("adds", () => {')).toBe("xit(");
    expect(skipMarker('xdescribe("math", () => {')).toBe("xdescribe(");
    expect(skipMarker("@pytest.mark.skip(reason='flaky')")).toBe("@pytest.mark.skip");
    expect(skipMarker('    t.Skip("later")')).toBe("t.Skip(");
    expect(skipMarker("#[ignore]")).toBe("#[ignore]");
    expect(skipMarker('test("skips nothing", () => {')).toBeUndefined();
    expect(skipMarker("const exit = skip(1);")).toBeUndefined();
  });

  test("assertions are counted, and a loosened one keeps its subject", () => {
    expect(countAssertions(twoTests)).toBe(2);
    expect(countAssertions("    assert add(1, 2) == 3\n    assert ok\n")).toBe(2);
    expect(assertionStrength("expect(add(1, 2)).toBe(3);")).toEqual({ subject: "add(1, 2)", strength: "strong" });
    expect(assertionStrength("expect(add(1, 2)).toBeDefined();")).toEqual({ subject: "add(1, 2)", strength: "loose" });
    expect(assertionStrength("    assert total(cart) == 3")).toEqual({ subject: "total(cart)", strength: "strong" });
    expect(assertionStrength("    assert total(cart)")).toEqual({ subject: "total(cart)", strength: "loose" });
  });
});

describe("the guards", () => {
  test("an untouched test file and a new test file pass every guard", async () => {
    const results = await check(
      [
        { status: "modified", path: "src/math.ts" },
        { status: "added", path: "test/new.test.ts" },
      ],
      {},
      { "test/new.test.ts": twoTests },
    );
    expect(results.map((r) => [r.guard, r.passed])).toEqual([
      ["deletedTests", true],
      ["testCount", true],
      ["skippedTests", true],
      ["weakenedAssertions", true],
    ]);
  });

  test("a deleted test file trips deletedTests and testCount with the file named", async () => {
    const results = await check(
      [{ status: "deleted", path: "test/math.test.ts" }],
      { "test/math.test.ts": twoTests },
      {},
    );
    expect(results.filter((r) => !r.passed).map((r) => r.guard)).toEqual(["deletedTests", "testCount"]);
    expect(describeFindings(results)).toContain("deletedTests: test/math.test.ts: test file deleted");
  });

  test("a test file renamed to a non-test path counts as deleted; a rename between test paths does not", async () => {
    const away = await check(
      [{ status: "renamed", path: "src/math-notes.ts", from: "test/math.test.ts" }],
      { "test/math.test.ts": twoTests },
      { "src/math-notes.ts": twoTests },
    );
    expect(away.find((r) => r.guard === "deletedTests")?.evidence[0]?.what).toContain("renamed to src/math-notes.ts");
    expect(away.find((r) => r.guard === "testCount")?.passed).toBe(false);
    const moved = await check(
      [{ status: "renamed", path: "test/arith.test.ts", from: "test/math.test.ts" }],
      { "test/math.test.ts": twoTests },
      { "test/arith.test.ts": twoTests },
    );
    expect(moved.every((r) => r.passed)).toBe(true);
  });

  test("an added .skip is reported with its file and line", async () => {
    const skipped = twoTests.replace('test("subtracts"', 'test.skip("subtracts"');
    const results = await check(
      [{ status: "modified", path: "test/math.test.ts" }],
      { "test/math.test.ts": twoTests },
      { "test/math.test.ts": skipped },
    );
    const finding = results.find((r) => r.guard === "skippedTests");
    expect(finding?.passed).toBe(false);
    expect(finding?.evidence).toEqual([
      { file: "test/math.test.ts", line: 4, what: 'added .skip: test.skip("subtracts", () => {' },
    ]);
  });

  test("a skip that was already at the base is not new", async () => {
    const skipped = twoTests.replace('test("subtracts"', 'test.skip("subtracts"');
    const results = await check(
      [{ status: "modified", path: "test/math.test.ts" }],
      { "test/math.test.ts": skipped },
      { "test/math.test.ts": `${skipped}// note\n` },
    );
    expect(results.every((r) => r.passed)).toBe(true);
  });

  test("a dropped test, a removed assertion and a loosened matcher are each flagged", async () => {
    const dropped = 'test("adds", () => {\n  expect(add(1, 2)).toBe(3);\n});\n';
    const count = await check(
      [{ status: "modified", path: "test/math.test.ts" }],
      { "test/math.test.ts": twoTests },
      { "test/math.test.ts": dropped },
    );
    expect(count.find((r) => r.guard === "testCount")?.evidence[0]?.what).toBe("tests declared: 2 at the base, 1 now");
    const loosened = twoTests.replace("expect(add(1, 2)).toBe(3);", "expect(add(1, 2)).toBeDefined();");
    const loose = await check(
      [{ status: "modified", path: "test/math.test.ts" }],
      { "test/math.test.ts": twoTests },
      { "test/math.test.ts": loosened },
    );
    const weakened = loose.find((r) => r.guard === "weakenedAssertions");
    expect(weakened?.passed).toBe(false);
    expect(weakened?.evidence).toEqual([
      { file: "test/math.test.ts", line: 2, what: "assertion on add(1, 2) loosened: expect(add(1, 2)).toBeDefined();" },
    ]);
    expect(loose.find((r) => r.guard === "testCount")?.passed).toBe(true);
  });

  test("a Python assert == loosened to a bare assert is flagged", async () => {
    const base = "def test_total():\n    assert total([1, 2]) == 3\n";
    const results = await check(
      [{ status: "modified", path: "tests/test_cart.py" }],
      { "tests/test_cart.py": base },
      { "tests/test_cart.py": "def test_total():\n    assert total([1, 2])\n" },
    );
    expect(results.find((r) => r.guard === "weakenedAssertions")?.evidence[0]?.what).toContain(
      "assertion on total([1, 2]) loosened",
    );
  });

  test("a guard turned off is not run at all", async () => {
    const results = await check(
      [{ status: "deleted", path: "test/math.test.ts" }],
      { "test/math.test.ts": twoTests },
      {},
      { ...allOn, deletedTests: false },
    );
    expect(results.map((r) => r.guard)).toEqual(["testCount", "skippedTests", "weakenedAssertions"]);
  });
});
