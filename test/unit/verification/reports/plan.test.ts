import { describe, expect, test } from "bun:test";
import { planReport } from "../../../../src/verification/reports/plan";

const path = (ext: string) => `/tmp/nax-test-report-1.${ext}`;

describe("report plan", () => {
  test("vitest keeps its default console reporter next to the json report", () => {
    expect(planReport("npx vitest run --globals", path)).toEqual({
      runner: "vitest",
      format: "jest-json",
      command:
        "npx vitest run --globals --reporter=default --reporter=json --outputFile.json=/tmp/nax-test-report-1.json",
      path: "/tmp/nax-test-report-1.json",
    });
  });

  test("vitest keeps the user's own reporter instead of adding the default one", () => {
    expect(planReport("vitest run --reporter=verbose", path)?.command).toBe(
      "vitest run --reporter=verbose --reporter=json --outputFile.json=/tmp/nax-test-report-1.json",
    );
  });

  test("jest, pytest and bun get their report flags appended, every user word kept", () => {
    expect(planReport("./node_modules/.bin/jest --testMatch '**/*.test.js'", path)?.command).toBe(
      "./node_modules/.bin/jest --testMatch '**/*.test.js' --json --outputFile=/tmp/nax-test-report-1.json",
    );
    expect(planReport("python3 -m pytest -q --log-cli-level INFO tests/", path)?.command).toBe(
      "python3 -m pytest -q --log-cli-level INFO tests/ --junitxml=/tmp/nax-test-report-1.xml",
    );
    expect(planReport("bun test --timeout=60000", path)?.command).toBe(
      "bun test --timeout=60000 --reporter=junit --reporter-outfile=/tmp/nax-test-report-1.xml",
    );
  });

  test("a report path with spaces is quoted for the shell", () => {
    expect(planReport("jest", () => "/tmp/my dir/r.json")?.command).toBe(
      "jest --json --outputFile='/tmp/my dir/r.json'",
    );
  });

  test("no report where nax cannot be sure, or the user already asked for one", () => {
    for (const command of [
      "npm test",
      "vitest run && echo done",
      "jest -- foo",
      "jest --json",
      "vitest run --reporter json",
      "vitest run --outputFile=out.json",
      "pytest --junitxml=out.xml",
      "bun test --reporter=dots",
      "mocha test/",
      "node --test",
      "go test ./...",
      "cargo test",
    ]) {
      expect([command, planReport(command, path)]).toEqual([command, undefined]);
    }
  });
});
