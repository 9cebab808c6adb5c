import { describe, expect, test } from "bun:test";
import { readReport } from "../../../../src/verification/reports/index";
import { readJestJson } from "../../../../src/verification/reports/jest-json";
import { readJunit } from "../../../../src/verification/reports/junit";
import { parseXml } from "../../../../src/verification/reports/junit-xml";
import { fixture } from "../parsers/fixtures";

describe("machine-readable test reports", () => {
  test("vitest's json report gives each failure its describe path, absolute file and full message without stack", () => {
    const read = readJestJson(fixture("vitest-report-fail.json"));
    if (!read.ok) throw new Error(read.problem);
    expect([read.counts.passedCount, read.counts.failedCount]).toEqual([1, 2]);
    expect(read.counts.failures.map((failure) => [failure.name, failure.file])).toEqual([
      ["strings > lower-cases", "/tmp/nax-cap/test/unit/strs.test.js"],
      ["strings > joins lines", "/tmp/nax-cap/test/unit/strs.test.js"],
    ]);
    expect(read.counts.failures[0]?.message).toBe(
      "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n'AB' !== 'ab'",
    );
    expect(read.counts.failures[1]?.message).not.toContain(" at ");
  });

  test("jest's json report carries the diff of each failure", () => {
    const read = readJestJson(fixture("jest-report-fail.json"));
    if (!read.ok) throw new Error(read.problem);
    expect([read.counts.passedCount, read.counts.failedCount]).toEqual([1, 2]);
    expect(read.counts.failures[0]?.name).toBe("strings > lower-cases");
    expect(read.counts.failures[0]?.message).toContain(
      'Expected value to strictly be equal to:\n  "ab"\nReceived:\n  "AB"',
    );
    expect(read.counts.failures[1]?.message).toContain("- THREE\n+ three");
  });

  test("a file that failed before any test ran is a failure, not a pass", () => {
    const report = {
      numPassedTests: 0,
      numFailedTests: 0,
      testResults: [
        { name: "/p/test/a.test.js", status: "failed", message: "Cannot find module './gone'", assertionResults: [] },
      ],
    };
    const read = readJestJson(JSON.stringify(report));
    expect(read).toEqual({
      ok: true,
      counts: {
        passedCount: 0,
        failedCount: 1,
        failures: [
          { name: "(test file failed to run)", file: "/p/test/a.test.js", message: "Cannot find module './gone'" },
        ],
        recognised: true,
      },
    });
  });

  test("pytest's junit report names Class::test with the file (folders kept) and the assertion's diff", () => {
    const read = readJunit(fixture("pytest-report-fail.xml"), "pytest");
    if (!read.ok) throw new Error(read.problem);
    expect([read.counts.passedCount, read.counts.failedCount]).toEqual([1, 2]);
    expect(read.counts.failures.map((failure) => [failure.name, failure.file])).toEqual([
      ["TestStrings::test_lower", "tests/unit/test_strs.py"],
      ["test_joins", "tests/unit/test_strs.py"],
    ]);
    expect(read.counts.failures[0]?.message).toBe(
      "AssertionError: assert 'one\\ntwo\\nthree' == 'one\\ntwo\\nTHREE'\n    one\n    two\n  - THREE\n  + three",
    );
  });

  test("bun's junit report names suite > test with its file", () => {
    const read = readJunit(fixture("bun-report-fail.xml"), "bun");
    if (!read.ok) throw new Error(read.problem);
    expect([read.counts.passedCount, read.counts.failedCount]).toEqual([1, 1]);
    expect(read.counts.failures[0]).toMatchObject({ name: "strings > joins lines", file: "test/unit/strs.test.ts" });
    expect(read.counts.failures[0]?.message).toContain('- THREE"\n+ three"');
  });

  test("a missing report is missing; an empty, cut or foreign one is unreadable", () => {
    const junit = { runner: "pytest" as const, format: "junit" as const, command: "pytest", path: "/tmp/r.xml" };
    const json = { runner: "jest" as const, format: "jest-json" as const, command: "jest", path: "/tmp/r.json" };
    expect(readReport(junit, undefined)).toEqual({ ok: false, missing: true });
    expect(readReport(junit, "  ")).toMatchObject({ ok: false, problem: "the report file is empty" });
    const cut = fixture("pytest-report-fail.xml").slice(0, 400);
    expect(readReport(junit, cut).ok).toBe(false);
    expect(readReport(junit, "<html><body></body></html>").ok).toBe(false);
    expect(readReport(json, '{"numPassedTests": 3').ok).toBe(false);
    expect(readReport(json, '{"numPassedTests": 3, "numFailedTests": 0}').ok).toBe(false);
  });

  test("the XML reader decodes entities and CDATA and refuses mismatched tags", () => {
    const root = parseXml('<?xml version="1.0"?><a x="1 &lt; 2"><!-- c --><b>&#10;t&amp;<![CDATA[<raw>]]></b></a>');
    expect(root.attributes.x).toBe("1 < 2");
    expect(root.children[0]?.text).toBe("\nt&<raw>");
    expect(() => parseXml("<a><b></a>")).toThrow("</a> closes <b>");
  });
});
