/** The test runner's report handling, with a scripted spawner and an in-memory report folder. */
import { describe, expect, test } from "bun:test";
import type { SpawnOptions } from "../../../src/system/spawn";
import { createTestRunner, type ReportFiles } from "../../../src/verification/test-runner";
import { createFakeSpawner, exited } from "./fake-spawner";
import { fixture } from "./parsers/fixtures";

function memoryReports(write: (path: string) => string | undefined) {
  const removed: string[] = [];
  const files: ReportFiles = {
    path: (ext) => `/tmp/nax-test-report-7.${ext}`,
    read: async (path) => write(path),
    remove: async (path) => {
      removed.push(path);
    },
  };
  return { files, removed };
}

async function run(command: string, output: { exit: number; stderr: string }, report: string | undefined) {
  const fake = createFakeSpawner([exited(output.exit, "", output.stderr)]);
  const reports = memoryReports(() => report);
  const runner = createTestRunner({ spawn: fake.spawn, env: {}, reports: reports.files });
  const result = await runner.run({ cwd: "/tmp/nax-cap", command, scope: "full" });
  return { result, calls: fake.calls as SpawnOptions[], removed: reports.removed };
}

describe("test runner with machine-readable reports", () => {
  test("runs the command with the report flags, reads the report, lists its failures and removes the file", async () => {
    const { result, calls, removed } = await run(
      "npx vitest run --globals",
      { exit: 1, stderr: fixture("vitest-fail-multiline.txt") },
      fixture("vitest-report-fail.json"),
    );
    expect(calls[0]?.cmd.at(-1)).toBe(
      "npx vitest run --globals --reporter=default --reporter=json --outputFile.json=/tmp/nax-test-report-7.json",
    );
    expect(result.command).toBe("npx vitest run --globals"); // what the prompt tells the agent to run
    expect(result).toMatchObject({ passed: false, source: "report", passedCount: 1, failedCount: 2 });
    expect(result.failures[0]).toMatchObject({ name: "strings > lower-cases", file: "test/unit/strs.test.js" });
    expect(result.summary).toContain("2 failed, 1 passed (vitest report, exit code 1).");
    expect(removed).toEqual(["/tmp/nax-test-report-7.json"]);
  });

  test("a report that cannot be read fails the run even at exit 0, and says why", async () => {
    const { result, removed } = await run("jest", { exit: 0, stderr: fixture("jest-pass.txt") }, "{ truncated");
    expect(result.passed).toBe(false);
    expect(result.summary).toContain("the jest report could not be read (not JSON");
    expect(removed).toEqual(["/tmp/nax-test-report-7.json"]);
  });

  test("a report that was not written leaves the decision to the text parser", async () => {
    const { result } = await run("jest", { exit: 0, stderr: fixture("jest-pass.txt") }, undefined);
    expect(result).toMatchObject({ passed: true, source: "output", parser: "jest" });
  });

  test("a runner that refuses the report flags is run again as written, and the summary says so", async () => {
    const fake = createFakeSpawner([
      exited(4, "", "ERROR: usage: pytest [options]\npytest: error: unrecognized arguments: --junitxml=/tmp/x.xml\n"),
      exited(0, fixture("pytest-pass.txt")),
    ]);
    const reports = memoryReports(() => undefined);
    const runner = createTestRunner({ spawn: fake.spawn, env: {}, reports: reports.files });
    const result = await runner.run({ cwd: "/p", command: "pytest -q", scope: "full" });
    expect(fake.calls.map((call) => call.cmd.at(-1))).toEqual([
      "pytest -q --junitxml=/tmp/nax-test-report-7.xml",
      "pytest -q",
    ]);
    expect(result).toMatchObject({ passed: true, source: "output", parser: "pytest" });
    expect(result.summary).toContain("failed with nax's report flags (--junitxml=/tmp/nax-test-report-7.xml)");
  });

  test("a failing run with a summary but no report is not run again", async () => {
    const { result, calls } = await run("jest", { exit: 1, stderr: fixture("jest-fail.txt") }, undefined);
    expect(calls).toHaveLength(1);
    expect(result).toMatchObject({ passed: false, source: "output" });
  });

  test("the report file is removed when the run throws", async () => {
    const reports = memoryReports(() => undefined);
    const runner = createTestRunner({
      spawn: async () => {
        throw new Error("spawn broke");
      },
      env: {},
      reports: reports.files,
    });
    await expect(runner.run({ cwd: "/p", command: "jest", scope: "full" })).rejects.toThrow("spawn broke");
    expect(reports.removed).toEqual(["/tmp/nax-test-report-7.json"]);
  });

  test("go failures get their package folder from the project's go.mod", async () => {
    const fake = createFakeSpawner([exited(1, fixture("go-fail-verbose.txt"))]);
    const read: string[] = [];
    const runner = createTestRunner({
      spawn: fake.spawn,
      env: {},
      readText: async (path) => {
        read.push(path);
        return "module example.com/demo\n\ngo 1.22\n";
      },
    });
    const result = await runner.run({ cwd: "/p", command: "go test -v ./...", scope: "full" });
    expect(read).toEqual(["/p/go.mod"]);
    expect(result.failures.map((failure) => failure.file)).toEqual(["mathlib/mathlib_test.go", "strs/strs_test.go"]);
  });
});
