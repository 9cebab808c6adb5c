import { describe, expect, test } from "bun:test";
import { ConfigSchema } from "../../../../src/config/schema";
import { isNaxError } from "../../../../src/errors";
import { checkQualityCommands } from "../../../../src/execution/precheck/quality";
import { warningsOrRefuse } from "../../../../src/execution/precheck/run-checks";
import type { ReviewOptions, TestRunOptions } from "../../../../src/pipeline/ports";
import type { ReviewResult, TestRunResult } from "../../../../src/verification/types";

function testResult(over: Partial<TestRunResult>): TestRunResult {
  return {
    passed: true,
    command: "bun test",
    scope: "full",
    exitCode: 0,
    termination: "exited",
    parser: "bun",
    passedCount: 3,
    failedCount: 0,
    failures: [],
    summary: "",
    durationMs: 1200,
    ...over,
  };
}

function deps(config: Record<string, unknown>, result: TestRunResult, reviewPassed = true) {
  const runs: TestRunOptions[] = [];
  const reviews: ReviewOptions[] = [];
  return {
    runs,
    reviews,
    deps: {
      config: ConfigSchema.parse(config),
      workdir: "/p",
      signal: new AbortController().signal,
      tests: {
        run: async (options: TestRunOptions) => {
          runs.push(options);
          return result;
        },
      },
      reviewer: {
        review: async (options: ReviewOptions): Promise<ReviewResult> => {
          reviews.push(options);
          const name: "lint" | "typecheck" = options.requireLint ? "lint" : "typecheck";
          const command = options.commands[name] ?? "";
          const check = {
            name,
            command,
            passed: reviewPassed,
            exitCode: reviewPassed ? 0 : 2,
            termination: "exited" as const,
            output: "src/a.ts: bad",
            durationMs: 5,
          };
          return { passed: reviewPassed, checks: [check] };
        },
      },
    },
  };
}

describe("checkQualityCommands", () => {
  test("runs the full suite once with the verification timeout, in the workdir", async () => {
    const d = deps(
      { quality: { commands: { test: "bun test" } }, execution: { verificationTimeoutSeconds: 42 } },
      testResult({}),
    );
    const [check] = await checkQualityCommands(d.deps);
    expect(check?.status).toBe("pass");
    expect(d.runs).toEqual([
      expect.objectContaining({ cwd: "/p", command: "bun test", scope: "full", timeoutMs: 42_000 }),
    ]);
  });

  test("a suite that times out fails the check: only a clean pass passes", async () => {
    const d = deps(
      { quality: { commands: { test: "bun test" } } },
      testResult({ passed: false, termination: "timeout", exitCode: null }),
    );
    const [check] = await checkQualityCommands(d.deps);
    expect(check?.status).toBe("fail");
    expect(check?.detail).toContain("fails on the base commit (timeout)");
    expect(check?.fix).toContain("--skip-precheck");
  });

  test("no test command fails with the run's own refusal; requireTests off only warns; neither runs anything", async () => {
    const missing = deps({}, testResult({}));
    const [fail] = await checkQualityCommands(missing.deps);
    expect(fail?.status).toBe("fail");
    expect(fail?.detail).toContain("quality.commands.test is not set, so nax cannot verify any story");
    const off = deps({ quality: { requireTests: false } }, testResult({}));
    const [warn] = await checkQualityCommands(off.deps);
    expect(warn?.status).toBe("warn");
    expect([...missing.runs, ...off.runs]).toEqual([]);
  });

  test("a failing lint only warns; an unrequired typecheck is not run", async () => {
    const d = deps(
      { quality: { commands: { test: "t", lint: "biome check", typecheck: "tsc" }, requireTypecheck: false } },
      testResult({}),
      false,
    );
    const checks = await checkQualityCommands(d.deps);
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ["test command", "pass"],
      ["lint", "warn"],
    ]);
    expect(d.reviews.map((r) => r.commands)).toEqual([{ lint: "biome check" }]);
  });
});

describe("warningsOrRefuse", () => {
  test("a failed check refuses with every failure's line; warnings alone become log lines", () => {
    const warn = { name: "git identity", status: "warn" as const, detail: "user.name not set" };
    expect(warningsOrRefuse([warn])).toEqual(["precheck: git identity: user.name not set"]);
    const fail = { name: "test command", status: "fail" as const, detail: "`t` fails", fix: "fix it" };
    try {
      warningsOrRefuse([warn, fail]);
      throw new Error("expected a refusal");
    } catch (error) {
      expect(isNaxError(error, "PRECHECK_FAILED")).toBe(true);
      expect((error as Error).message).toContain("test command: `t` fails (fix: fix it)");
      expect((error as Error).message).not.toContain("git identity");
    }
  });
});
