import { describe, expect, test } from "bun:test";
import { type ConfigInput, ConfigSchema } from "../../../src/config/schema";
import { createEventBus } from "../../../src/events/bus";
import type { NaxEventMap } from "../../../src/events/events";
import { type DeferredGateDeps, runDeferredGate, type StoryGit } from "../../../src/execution/deferred-gate";
import { createMemoryLogger } from "../../../src/logger/logger";
import type { TestRunOptions } from "../../../src/pipeline/ports";
import type { TestFailure, TestRunResult } from "../../../src/verification/types";

function result(failures: TestFailure[]): TestRunResult {
  return {
    passed: failures.length === 0,
    command: "bun test",
    scope: "full",
    exitCode: failures.length === 0 ? 0 : 1,
    termination: "exited",
    parser: "bun",
    passedCount: 4,
    failedCount: failures.length,
    failures,
    summary: "",
    durationMs: 3,
  };
}

const git: StoryGit = {
  storyCommits: async (_cwd, id) => [`sha-${id}`],
  filesInCommits: async (_cwd, shas) =>
    shas.includes("sha-US-001") ? ["src/cart.ts"] : shas.includes("sha-US-002") ? ["src/price.ts"] : [],
};

function gate(run: TestRunResult, config: ConfigInput = { quality: { commands: { test: "bun test" } } }) {
  const emitted: { type: string; data: NaxEventMap["regression:detected"] }[] = [];
  const bus = createEventBus({ runId: "run-1", now: () => "t", onSubscriberError: () => undefined });
  bus.on("regression:detected", (e) => void emitted.push({ type: e.type, data: e.data }), { name: "recorder" });
  const runs: TestRunOptions[] = [];
  const deps: DeferredGateDeps = {
    config: ConfigSchema.parse(config),
    workdir: "/w",
    tests: {
      run: async (options: TestRunOptions) => {
        runs.push(options);
        return run;
      },
    },
    git,
    bus,
    logger: createMemoryLogger(),
    completedStoryIds: () => ["US-001", "US-002"],
  };
  return { deps, emitted, runs, bus };
}

describe("deferred regression gate", () => {
  test("runs the full suite once and passes when it passes", async () => {
    const g = gate(result([]));
    expect(await runDeferredGate(g.deps, new AbortController().signal)).toEqual({ passed: true });
    expect(g.runs.map((r) => [r.command, r.scope])).toEqual([["bun test", "full"]]);
    expect(g.emitted).toEqual([]);
  });

  test("a failing suite fails the gate, naming the tests and the stories whose files they cover", async () => {
    const g = gate(result([{ name: "adds to cart", file: "test/cart.test.ts", message: "expected 2" }]));
    const verdict = await runDeferredGate(g.deps, new AbortController().signal);
    await g.bus.drain();
    expect(verdict.passed).toBe(false);
    if (!verdict.passed) {
      expect(verdict.exitReason).toContain("deferred regression gate failed");
      expect(verdict.exitReason).toContain("adds to cart");
      expect(verdict.exitReason).toContain("changed by US-001");
      expect(verdict.exitReason).not.toContain("US-002");
    }
    expect(g.emitted).toEqual([
      {
        type: "regression:detected",
        data: { storyIds: ["US-001"], failingTests: ["test/cart.test.ts > adds to cart"], mode: "deferred" },
      },
    ]);
  });

  test("a failure no story explains still fails the gate", async () => {
    const g = gate({ ...result([]), passed: false, exitCode: 1 });
    const verdict = await runDeferredGate(g.deps, new AbortController().signal);
    await g.bus.drain();
    expect(verdict.passed).toBe(false);
    expect(g.emitted[0]?.data.storyIds).toEqual([]);
  });

  test("with no test command there is nothing to run and the gate passes without running anything", async () => {
    const g = gate(result([]), {});
    expect(await runDeferredGate(g.deps, new AbortController().signal)).toEqual({ passed: true });
    expect(g.runs).toEqual([]);
  });
});
