import { describe, expect, test } from "bun:test";
import { describeEvent } from "../../../src/subscribers/describe-event";
import { counts, event, runStarted, storyStarted } from "./fixtures";

describe("describeEvent", () => {
  test("a passed story reads as its id, attempts, duration, cost and short commit", () => {
    const d = describeEvent(
      event("story:completed", { storyId: "US-001", attempts: 2, costUsd: 0.0123, durationMs: 72_000 }),
    );
    expect(d).toEqual({ level: "info", message: "US-001 passed in 2 attempts (1m12s, $0.01)", storyId: "US-001" });
    const committed = event("story:completed", {
      storyId: "US-001",
      attempts: 1,
      costUsd: 0.0003,
      durationMs: 850,
      commit: "0123456789abcdef0123456789abcdef01234567",
    });
    expect(describeEvent(committed).message).toBe("US-001 passed in 1 attempt (850ms, $0.0003, commit 01234567)");
  });

  test("a verification reads its scope and counts, or says the output had none to count", () => {
    const verify = (passedCount: number, failedCount: number) =>
      describeEvent(
        event("verify:completed", {
          storyId: "US-001",
          passed: failedCount === 0,
          command: "bun test",
          scope: "scoped",
          passedCount,
          failedCount,
          durationMs: 2_500,
        }),
      );
    expect(verify(12, 0)).toMatchObject({
      level: "info",
      message: "US-001 tests passed (scoped: 12 passed, 0 failed, 2s)",
    });
    expect(verify(10, 2)).toMatchObject({
      level: "warn",
      message: "US-001 tests failed (scoped: 10 passed, 2 failed, 2s)",
    });
    expect(verify(0, 0).message).toBe("US-001 tests passed (scoped: no test counts in the output, 2s)");
  });

  test("a rectify session that ended is not called a fix: the next test run decides that", () => {
    const done = describeEvent(event("rectify:completed", { storyId: "US-001", attempt: 1, passed: true }));
    const failed = describeEvent(event("rectify:completed", { storyId: "US-001", attempt: 2, passed: false }));
    expect(done.message).toBe("US-001 rectify attempt 1 done; verifying again");
    expect(failed.message).toBe("US-001 rectify attempt 2: the agent session did not succeed");
    const autofix = describeEvent(
      event("autofix:started", { storyId: "US-001", attempt: 1, problems: "lint, typecheck" }),
    );
    expect(autofix.message).toBe("US-001 autofix attempt 1 started (lint, typecheck failing)");
  });

  test("escalations and rate limits are warnings; failed stories and crashes are errors", () => {
    const escalated = event("story:escalated", {
      storyId: "US-001",
      fromTier: "fast",
      toTier: "balanced",
      reason: "tests fail",
    });
    const limited = event("agent:rate-limited", {
      storyId: "US-001",
      waitMs: 30_000,
      until: "2026-03-07T05:31:00.000Z",
      reason: "429",
    });
    const failed = event("story:failed", { storyId: "US-001", attempts: 8, reason: "tiers exhausted" });
    const crashed = event("run:crashed", { signal: "SIGTERM", storyId: "US-001" });
    expect(describeEvent(escalated).level).toBe("warn");
    expect(describeEvent(escalated).message).toBe("US-001 escalated fast → balanced: tests fail");
    expect(describeEvent(limited)).toMatchObject({ level: "warn", message: expect.stringContaining("waiting 30s") });
    expect(describeEvent(failed)).toMatchObject({
      level: "error",
      message: "US-001 failed after 8 attempts: tiers exhausted",
    });
    expect(describeEvent(crashed)).toMatchObject({ level: "error", storyId: "US-001" });
  });

  test("heartbeats and stage events are debug noise", () => {
    expect(describeEvent(event("heartbeat", {})).level).toBe("debug");
    expect(describeEvent(event("stage:started", { storyId: "US-001", stage: "verify" }))).toMatchObject({
      level: "debug",
      stage: "verify",
      storyId: "US-001",
    });
  });

  test("a log event keeps its own level, message, story and stage", () => {
    const d = describeEvent(
      event("log", { level: "warn", message: "lint is slow", storyId: "US-004", stage: "review" }),
    );
    expect(d).toEqual({ level: "warn", message: "lint is slow", storyId: "US-004", stage: "review" });
  });

  test("run outcomes name the status, the progress and the cost, with the level following the outcome", () => {
    const failed = event("run:completed", {
      status: "failed",
      exitReason: "cost limit reached",
      counts: counts({ passed: 1, failed: 1, pending: 1 }),
      costSpent: 5.5,
      iterations: 4,
      durationMs: 72_000,
    });
    expect(describeEvent(failed)).toEqual({
      level: "error",
      message: "run failed (cost limit reached): 1/3 passed, 1 failed, 1 pending in 1m12s, $5.50",
    });
    expect(describeEvent(event("run:started", runStarted())).message).toBe(
      "run started: feature auth, 0/3 passed, 3 pending",
    );
    expect(describeEvent(event("story:started", storyStarted())).message).toBe(
      "US-001 started (attempt 1, fast/haiku, simple): Title of US-001",
    );
  });
});
