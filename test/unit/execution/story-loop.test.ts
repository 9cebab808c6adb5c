import { afterEach, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import type { AttemptIsolation } from "../../../src/execution/lanes";
import { createLoopFixture, type LoopFixture, passed } from "./loop-fixture";

let fixture: LoopFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const three = [
  { id: "US-001", title: "one" },
  { id: "US-002", title: "two", dependencies: ["US-001"] },
  { id: "US-003", title: "three", dependencies: ["US-002"] },
];

function failingVerify(summary: string) {
  return {
    verify: {
      passed: false,
      command: "bun test",
      scope: "full" as const,
      exitCode: 1,
      termination: "exited" as const,
      parser: "bun",
      passedCount: 1,
      failedCount: 1,
      failures: [{ name: "adds numbers", message: "expected 3" }],
      summary,
      durationMs: 5,
    },
  };
}

const escalate = {
  kind: "escalate",
  reason: "tests still fail",
  stage: "rectify",
  state: failingVerify("1 fail"),
} as const;

async function savedStories(f: LoopFixture) {
  return JSON.parse(await readFile(f.store.path, "utf8")).userStories as Record<string, unknown>[];
}

describe("story loop", () => {
  test("runs every story in dependency order and completes with one start and one completion each", async () => {
    fixture = await createLoopFixture({ stories: three, script: () => passed });
    expect(await fixture.run()).toEqual({ status: "completed", iterations: 3 });
    expect(fixture.types()).toEqual([
      "story:started:US-001",
      "story:completed:US-001",
      "story:started:US-002",
      "story:completed:US-002",
      "story:started:US-003",
      "story:completed:US-003",
    ]);
    expect((await savedStories(fixture)).map((s) => [s.status, s.attempts])).toEqual([
      ["passed", 1],
      ["passed", 1],
      ["passed", 1],
    ]);
  });

  test("the context carries the attempt, tier, prior failures and a story-scoped emitter", async () => {
    fixture = await createLoopFixture({
      stories: [{ id: "US-001", title: "one" }],
      script: (ctx) => {
        ctx.emit("stage:started", { stage: "verify" });
        return passed;
      },
    });
    await fixture.run();
    const ctx = fixture.contexts[0];
    expect([ctx?.attempt, ctx?.tier, ctx?.priorFailures, ctx?.story.status]).toEqual([1, "fast", [], "in-progress"]);
    expect(fixture.types()).toContain("stage:started:US-001");
  });

  test("parallel lanes are numbered from 1, a freed number is reused, and the attempt's story, stage and session events carry it", async () => {
    const { promise: us002Done, resolve: finishUs002 } = Promise.withResolvers<void>();
    fixture = await createLoopFixture({
      stories: [
        { id: "US-001", title: "one" },
        { id: "US-002", title: "two" },
        { id: "US-003", title: "three" },
      ],
      config: { execution: { parallel: 2 } },
      script: async (ctx) => {
        ctx.emit("stage:started", { stage: "agent" });
        ctx.emit("rectify:started", { attempt: 1, failingTests: 1 });
        // US-001 holds lane 1 until US-002 is done, so US-003 takes the lane US-002 freed.
        if (ctx.story.id === "US-001") await us002Done;
        if (ctx.story.id === "US-002") finishUs002();
        return passed;
      },
    });
    expect(await fixture.run()).toEqual({ status: "completed", iterations: 3 });
    const laneOf = (type: string) =>
      fixture?.events
        .filter((e) => e.type === type)
        .map((e) => [(e.data as { storyId: string }).storyId, (e.data as { lane?: number }).lane]);
    expect(laneOf("story:started")).toEqual([
      ["US-001", 1],
      ["US-002", 2],
      ["US-003", 2],
    ]);
    expect(laneOf("stage:started")).toEqual([
      ["US-001", 1],
      ["US-002", 2],
      ["US-003", 2],
    ]);
    // Events outside the lane's set are not stamped.
    expect(laneOf("rectify:started")?.map(([, lane]) => lane)).toEqual([undefined, undefined, undefined]);
  });

  test("a lane with nothing left to start tells isolation it is idle; a lane that ends the loop does not", async () => {
    const calls: string[] = [];
    const isolation: AttemptIsolation = {
      open: async (storyId, attempt) => {
        calls.push(`open ${storyId}`);
        return { storyId, attempt, path: fixture?.dir ?? "" };
      },
      land: async (_lane, _ctx, outcome) => outcome,
      close: async (lane) => {
        calls.push(`close ${lane.storyId}`);
        return undefined;
      },
      idle: () => {
        calls.push("idle");
        idleSeen();
      },
    };
    const { promise: idled, resolve: idleSeen } = Promise.withResolvers<void>();
    const stories = [
      { id: "US-001", title: "one" },
      { id: "US-002", title: "two" },
    ];
    fixture = await createLoopFixture({
      stories,
      config: { execution: { parallel: 2 } },
      isolation,
      script: async (ctx) => {
        // US-002 outlives US-001: US-001's lane finds only a story another lane holds (a bound, not a wait).
        if (ctx.story.id === "US-002") await Promise.race([idled, Bun.sleep(2000)]);
        return passed;
      },
    });
    expect(await fixture.run()).toEqual({ status: "completed", iterations: 2 });
    expect(calls).toEqual(["open US-001", "open US-002", "close US-001", "idle", "close US-002"]);
    await fixture.cleanup();
    calls.length = 0;
    fixture = await createLoopFixture({ stories, isolation, script: () => passed });
    expect(await fixture.run()).toEqual({ status: "completed", iterations: 2 });
    expect(calls).toEqual(["open US-001", "close US-001", "open US-002", "close US-002"]);
  });

  test("a story the completion stage already marked passed is not saved a second time", async () => {
    fixture = await createLoopFixture({
      stories: [{ id: "US-001", title: "one" }],
      script: async (ctx, store) => {
        await store.updateStory(ctx.story.id, (s) => ({ ...s, status: "passed", attempts: ctx.attempt }));
        return passed;
      },
    });
    await fixture.run();
    // One save for in-progress, one by the stand-in completion stage, none after.
    expect(fixture.writes).toHaveLength(2);
    expect(fixture.types().filter((t) => t.startsWith("story:completed"))).toHaveLength(1);
  });

  test("a failing story retries on its tier, escalates through every tier, then fails once", async () => {
    fixture = await createLoopFixture({ stories: three, script: () => escalate });
    const result = await fixture.run();
    expect(result.status).toBe("failed");
    if (result.status === "failed") expect(result.exitReason).toContain("US-001 failed");
    expect(fixture.contexts.map((c) => c.tier)).toEqual([
      "fast",
      "fast",
      "fast",
      "balanced",
      "balanced",
      "balanced",
      "powerful",
      "powerful",
    ]);
    expect(fixture.contexts.map((c) => c.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const types = fixture.types();
    expect(types.filter((t) => t === "story:escalated:US-001")).toHaveLength(2);
    expect(types.filter((t) => t === "story:failed:US-001")).toHaveLength(1);
    expect(types.some((t) => t.endsWith("US-002"))).toBe(false);
    const [first] = await savedStories(fixture);
    expect(first?.status).toBe("failed");
    expect(first?.attempts).toBe(8);
    expect(first?.escalations).toMatchObject([
      { fromTier: "fast", toTier: "balanced" },
      { fromTier: "balanced", toTier: "powerful" },
    ]);
    expect(first?.priorFailures).toHaveLength(8);
    expect((first?.priorFailures as unknown[] | undefined)?.[0]).toMatchObject({
      attempt: 1,
      tier: "fast",
      stage: "rectify",
      summary: "1 fail",
      failingTests: ["adds numbers"],
    });
  });

  test("the next attempt's context carries the failures recorded so far", async () => {
    let calls = 0;
    fixture = await createLoopFixture({
      stories: [{ id: "US-001", title: "one" }],
      script: () => (++calls === 1 ? escalate : passed),
    });
    expect((await fixture.run()).status).toBe("completed");
    expect(fixture.contexts[1]?.priorFailures).toMatchObject([{ attempt: 1, summary: "1 fail" }]);
    expect(fixture.contexts[1]?.attempt).toBe(2);
  });

  test("escalation disabled fails the story after the first tier's budget", async () => {
    fixture = await createLoopFixture({
      stories: [{ id: "US-001", title: "one" }],
      config: { autoMode: { escalation: { enabled: false } } },
      script: () => escalate,
    });
    await fixture.run();
    expect(fixture.contexts).toHaveLength(3);
    expect(fixture.types()).not.toContain("story:escalated:US-001");
  });

  test("a fail outcome fails the story at once and records why", async () => {
    fixture = await createLoopFixture({
      stories: [{ id: "US-001", title: "one" }],
      script: () => ({ kind: "fail", reason: "agent stage error: boom", stage: "agent" }),
    });
    const result = await fixture.run();
    expect(result.status).toBe("failed");
    expect(fixture.contexts).toHaveLength(1);
    const [story] = await savedStories(fixture);
    expect(story).toMatchObject({
      status: "failed",
      attempts: 1,
      priorFailures: [{ summary: "agent stage error: boom" }],
    });
  });

  test("the iteration limit ends the run failed with the reason", async () => {
    fixture = await createLoopFixture({
      stories: [{ id: "US-001", title: "one" }],
      config: { execution: { maxIterations: 2 } },
      script: () => escalate,
    });
    expect(await fixture.run()).toEqual({
      status: "failed",
      exitReason: "iteration limit reached (maxIterations 2)",
      iterations: 2,
    });
  });

  test("the cost limit is checked before a story starts", async () => {
    fixture = await createLoopFixture({
      stories: [{ id: "US-001", title: "one" }],
      config: { execution: { costLimit: 1 } },
      script: () => passed,
    });
    const result = await fixture.run({ spent: 1.5 });
    expect(result).toEqual({ status: "failed", exitReason: "cost limit reached: $1.50 spent of $1.00", iterations: 0 });
    expect(fixture.events).toHaveLength(0);
  });

  test("an unusable agent stops the run without spending an attempt", async () => {
    fixture = await createLoopFixture({
      stories: [{ id: "US-001", title: "one" }],
      script: () => ({ kind: "stop", reason: "agent-unusable", detail: "claude is not logged in", stage: "agent" }),
    });
    const result = await fixture.run();
    expect(result).toEqual({
      status: "failed",
      exitReason: "the agent cannot be used: claude is not logged in",
      iterations: 1,
    });
    const [story] = await savedStories(fixture);
    expect([story?.status, story?.attempts]).toEqual(["pending", 0]);
    expect(fixture.types()).not.toContain("story:failed:US-001");
  });

  test("an abort during a story ends the loop as aborted", async () => {
    const abort = new AbortController();
    fixture = await createLoopFixture({
      stories: three,
      script: () => {
        abort.abort();
        return { kind: "stop", reason: "aborted", detail: "stopped during agent", stage: "agent" };
      },
    });
    expect(await fixture.run({ abort })).toEqual({
      status: "aborted",
      detail: "stopped during agent",
      iterations: 1,
      storyId: "US-001",
    });
  });

  test("a paused story lets independent stories run and leaves the run stalled", async () => {
    fixture = await createLoopFixture({
      stories: [
        { id: "US-001", title: "one" },
        { id: "US-002", title: "two" },
      ],
      script: (ctx) =>
        ctx.story.id === "US-001" ? { kind: "pause", reason: "needs a human", stage: "review" } : passed,
    });
    const result = await fixture.run();
    expect(result.status).toBe("stalled");
    if (result.status === "stalled") expect(result.exitReason).toContain("US-001 paused");
    expect(fixture.types()).toEqual([
      "story:started:US-001",
      "story:paused:US-001",
      "story:started:US-002",
      "story:completed:US-002",
    ]);
  });

  test("a skipped story counts as done", async () => {
    fixture = await createLoopFixture({
      stories: [{ id: "US-001", title: "one" }],
      script: () => ({ kind: "skip", reason: "already implemented", stage: "routing" }),
    });
    expect((await fixture.run()).status).toBe("completed");
    expect((await savedStories(fixture))[0]?.status).toBe("skipped");
  });

  test("a story with every tier spent fails without running", async () => {
    const spent = ["fast", "fast", "fast"].map((tier, i) => ({ attempt: i + 1, tier, stage: "verify", summary: "x" }));
    fixture = await createLoopFixture({
      stories: [{ id: "US-001", title: "one", attempts: 3, priorFailures: spent }],
      config: { autoMode: { escalation: { enabled: false } } },
      script: () => passed,
    });
    const result = await fixture.run();
    expect(result.status).toBe("failed");
    expect(fixture.contexts).toHaveLength(0);
    expect(fixture.types()).toEqual(["story:failed:US-001"]);
  });

  test("iterationDelayMs waits between iterations only, and not by default", async () => {
    fixture = await createLoopFixture({
      stories: three,
      config: { execution: { iterationDelayMs: 250 } },
      script: () => passed,
    });
    await fixture.run();
    expect(fixture.sleeps).toEqual([250, 250]);
    const plain = await createLoopFixture({ stories: three, script: () => passed });
    await plain.run();
    expect(plain.sleeps).toEqual([]);
    await plain.cleanup();
  });
});
