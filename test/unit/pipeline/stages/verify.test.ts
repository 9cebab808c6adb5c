import { describe, expect, test } from "bun:test";
import { createVerifyStage } from "../../../../src/pipeline/stages/verify";
import { createManualClock } from "../../../../src/system/clock";
import { createFakeTestRunner, failingTests } from "../../../fakes/fake-test-runner";
import { eventsOf, makeConfig, makeContext, makeHarness } from "../helpers";

describe("the verify stage", () => {
  test("runs the planner's scoped command with the verification timeout and logs it", async () => {
    const tests = createFakeTestRunner([{ passed: true }]);
    const plans: unknown[] = [];
    const stage = createVerifyStage({
      tests,
      clock: createManualClock(),
      planner: {
        async plan(input) {
          plans.push(input);
          return { scope: "scoped", command: "bun test test/greet.test.ts", reason: "1 test file" };
        },
      },
    });
    const config = makeConfig({ execution: { verificationTimeoutSeconds: 42 } });
    const { ctx, logger, events } = makeContext({ config, state: { baseRef: "abc123" } });
    const result = await stage.run(ctx);
    expect(plans[0]).toMatchObject({ cwd: "/tmp/nax-project", baseRef: "abc123" });
    expect(tests.calls[0]).toMatchObject({
      command: "bun test test/greet.test.ts",
      scope: "scoped",
      timeoutMs: 42_000,
    });
    expect(logger.records.some((r) => r.message === "verify (scoped): bun test test/greet.test.ts [1 test file]")).toBe(
      true,
    );
    expect(eventsOf(events, "verify:completed")).toEqual([expect.objectContaining({ passed: true, scope: "scoped" })]);
    expect(result.action === "continue" ? result.patch?.verify?.passed : undefined).toBe(true);
  });

  test("a test failure is left as data and the pipeline continues to rectify", async () => {
    const stage = createVerifyStage({
      tests: createFakeTestRunner([failingTests("greet")]),
      clock: createManualClock(),
    });
    const { ctx, events } = makeContext();
    const result = await stage.run(ctx);
    expect(result.action).toBe("continue");
    expect(result.action === "continue" ? result.patch?.verify?.passed : undefined).toBe(false);
    expect(eventsOf(events, "verify:completed")[0]).toMatchObject({ passed: false, failedCount: 1 });
  });

  test("when the planner fails, the full suite runs", async () => {
    const tests = createFakeTestRunner([{ passed: true }]);
    const stage = createVerifyStage({
      tests,
      clock: createManualClock(),
      planner: {
        plan: async () => {
          throw new Error("git broke");
        },
      },
    });
    const { ctx } = makeContext();
    await stage.run(ctx);
    expect(tests.calls[0]).toMatchObject({ command: "bun test", scope: "full" });
  });

  test("requireTests off skips verification with a warning and marks the attempt unverified", async () => {
    const tests = createFakeTestRunner([]);
    const stage = createVerifyStage({ tests, clock: createManualClock() });
    const { ctx, logger } = makeContext({ config: makeConfig({ quality: { requireTests: false } }) });
    const result = await stage.run(ctx);
    expect(result).toEqual({
      action: "continue",
      patch: { verify: undefined, unverified: expect.stringContaining("requireTests is false") },
    });
    expect(logger.records.find((r) => r.level === "warn")?.message).toContain("requireTests is false");
  });
});

describe("a test command that cannot run", () => {
  test("exit 127 stops the run (not the story's fault) with the command in the detail, instead of going to rectify", async () => {
    const h = makeHarness({
      tests: createFakeTestRunner([
        { passed: false, exitCode: 127, command: "vitest run", summary: "sh: 1: vitest: not found" },
      ]),
    });
    const outcome = await h.run();
    expect(outcome).toMatchObject({ kind: "stop", reason: "test-command-unusable", stage: "verify" });
    expect(outcome.kind === "stop" ? outcome.detail : "").toContain(
      "`vitest run` (not found, exit 127): sh: 1: vitest: not found",
    );
    expect(h.agent.runs).toHaveLength(1);
  });
});
