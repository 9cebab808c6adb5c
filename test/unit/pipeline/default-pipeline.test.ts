import { describe, expect, test } from "bun:test";
import { createBudget } from "../../../src/pipeline/budget";
import { createDefaultPipeline } from "../../../src/pipeline/default-pipeline";
import { STAGE_NAMES } from "../../../src/pipeline/stage";
import { createFakeAgent } from "../../fakes/fake-agent";
import { createFakeTestRunner, failingTests } from "../../fakes/fake-test-runner";
import { eventsOf, makeConfig, makeHarness, stageRuns } from "./helpers";

describe("the default pipeline", () => {
  test("has the stage order written once: routing → … → completion", () => {
    const { stages } = makeHarness();
    expect(stages.map((s) => s.name)).toEqual([...STAGE_NAMES]);
    expect(createDefaultPipeline).toBeFunction();
  });

  test("a passing story runs every gate once, marks the story passed, commits it, and counts its cost", async () => {
    const h = makeHarness({ agent: createFakeAgent({ run: [{ costUsd: 0.25 }] }) });
    const outcome = await h.run();
    expect(outcome.kind).toBe("passed");
    expect(stageRuns(h.events)).toEqual({
      routing: 1,
      context: 1,
      prompt: 1,
      agent: 1,
      verify: 1,
      review: 1,
      completion: 1,
    });
    expect(eventsOf(h.events, "stage:completed")).toHaveLength(7);
    expect(eventsOf(h.events, "verify:completed")).toHaveLength(1);
    expect(h.marked).toEqual([{ storyId: "US-001", attempts: 1, cost: 0.25, verified: true }]);
    expect(h.commits).toEqual(["US-001"]);
    expect(outcome.state.commit).toBe("sha-1");
    expect(h.budget.spent()).toBe(0.25);
  });

  test("trap 11: a verify failure followed by a passing rectify round ends passed with no escalation", async () => {
    const h = makeHarness({
      agent: createFakeAgent({ run: [{}, {}] }),
      tests: createFakeTestRunner([failingTests("greet empty name"), { passed: true }]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("passed");
    expect(eventsOf(h.events, "rectify:started")).toEqual([{ attempt: 1, failingTests: 1 }]);
    expect(eventsOf(h.events, "rectify:completed")).toEqual([{ attempt: 1, passed: true }]);
    expect(eventsOf(h.events, "stage:completed").some((e) => e.action === "escalate")).toBe(false);
    expect(stageRuns(h.events)).toMatchObject({ verify: 2, rectify: 1, completion: 1 });
    const rectifyPrompt = h.agent.runs[1]?.prompt ?? "";
    expect(rectifyPrompt).toStartWith("# Task: US-001 — Greet the user by name");
    expect(rectifyPrompt).toContain("greet empty name");
    expect(rectifyPrompt).toContain("do not weaken or delete tests");
    expect(h.marked).toHaveLength(1);
  });

  test("rectification exhausted escalates with the failing tests in the reason", async () => {
    const h = makeHarness({
      config: makeConfig({ execution: { rectification: { maxRetries: 2 } } }),
      agent: createFakeAgent({ run: [{}, {}, {}] }),
      tests: createFakeTestRunner([failingTests("greet"), failingTests("greet"), failingTests("greet")]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("escalate");
    expect(outcome.stage).toBe("rectify");
    expect(outcome.reason).toContain("after 2 rectification round(s)");
    expect(outcome.reason).toContain("test/greet.test.ts > greet");
    expect(eventsOf(h.events, "rectify:started")).toHaveLength(2);
    expect(eventsOf(h.events, "rectify:completed")).toHaveLength(2);
    expect(h.marked).toHaveLength(0);
    expect(h.commits).toHaveLength(0);
  });

  test("with abortOnIncreasingFailures, a rectify round that adds failures escalates at once", async () => {
    const h = makeHarness({
      config: makeConfig({ execution: { rectification: { maxRetries: 5, abortOnIncreasingFailures: true } } }),
      agent: createFakeAgent({ run: [{}, {}] }),
      tests: createFakeTestRunner([failingTests("a"), failingTests("a", "b")]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("escalate");
    expect(outcome.reason).toContain("from 1 to 2");
    expect(eventsOf(h.events, "rectify:started")).toHaveLength(1);
  });

  test("without abortOnIncreasingFailures, rectification keeps going when failures increase", async () => {
    const h = makeHarness({
      config: makeConfig({ execution: { rectification: { maxRetries: 5, abortOnIncreasingFailures: false } } }),
      agent: createFakeAgent({ run: [{}, {}, {}] }),
      tests: createFakeTestRunner([failingTests("a"), failingTests("a", "b"), { passed: true }]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("passed");
    expect(eventsOf(h.events, "rectify:started")).toHaveLength(2);
  });

  test("with no test command the story fails closed instead of passing unverified (trap 28)", async () => {
    const h = makeHarness({
      config: makeConfig({ quality: { commands: { test: undefined } } }),
      tests: createFakeTestRunner([]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("fail");
    expect(outcome.reason).toContain("set quality.commands.test");
    expect(h.tests.calls).toHaveLength(0);
    expect(h.marked).toEqual([]);
    expect(h.commits).toEqual([]);
  });

  test("with requireTests off the story passes, marked and committed as unverified (trap 28)", async () => {
    const h = makeHarness({
      config: makeConfig({ quality: { requireTests: false } }),
      tests: createFakeTestRunner([]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("passed");
    expect(outcome.state.unverified).toContain("requireTests is false");
    expect(h.tests.calls).toHaveLength(0);
    expect(h.marked).toEqual([expect.objectContaining({ storyId: "US-001", verified: false })]);
    const warning = h.logger.records.find((r) => r.level === "warn" && r.stage === "verify");
    expect(warning?.message).toContain("pass unverified");
  });

  test("a verified pass is marked verified", async () => {
    const h = makeHarness();
    expect((await h.run()).kind).toBe("passed");
    expect(h.marked).toEqual([expect.objectContaining({ verified: true })]);
  });

  test("the per-story regression gate sends a full-suite failure back to rectify, then passes", async () => {
    const h = makeHarness({
      config: makeConfig({ execution: { regressionGate: { mode: "per-story" } } }),
      planner: { plan: async () => ({ scope: "scoped", command: "bun test test/greet.test.ts", reason: "mapped" }) },
      agent: createFakeAgent({ run: [{}, {}] }),
      tests: createFakeTestRunner([{ passed: true }, failingTests("cart total"), { passed: true }, { passed: true }]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("passed");
    expect(h.tests.calls.map((c) => c.scope)).toEqual(["scoped", "full", "scoped", "full"]);
    expect(h.tests.calls[1]?.command).toBe("bun test");
    expect(eventsOf(h.events, "regression:detected")).toEqual([
      { storyIds: ["US-001"], failingTests: ["test/cart.test.ts > cart total"], mode: "per-story" },
    ]);
    expect(eventsOf(h.events, "rectify:started")).toHaveLength(1);
    expect(h.agent.runs[1]?.prompt).toContain("cart total");
  });

  test("the per-story regression gate escalates once its rounds are used up", async () => {
    const h = makeHarness({
      config: makeConfig({
        execution: { regressionGate: { mode: "per-story", maxRectificationAttempts: 0 } },
      }),
      planner: { plan: async () => ({ scope: "scoped", command: "bun test test/greet.test.ts", reason: "mapped" }) },
      tests: createFakeTestRunner([{ passed: true }, failingTests("cart total")]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("escalate");
    expect(outcome.stage).toBe("regression");
    expect(outcome.reason).toContain("cart total");
  });

  test("the cost limit stops the story before the agent session starts", async () => {
    const h = makeHarness({ budget: createBudget(5, 5), agent: createFakeAgent({ run: [] }) });
    const outcome = await h.run();
    expect(outcome).toMatchObject({ kind: "stop", reason: "cost-limit", stage: "agent" });
    expect(h.agent.runs).toHaveLength(0);
    expect(eventsOf(h.events, "agent:session-started")).toHaveLength(0);
  });
});
