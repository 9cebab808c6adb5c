import { describe, expect, test } from "bun:test";
import type { AnyNaxEvent } from "../../../src/events/events";
import type { SessionPurpose } from "../../../src/events/vocabulary";
import { StatusFileSchema } from "../../../src/state/status-file";
import { initialStatus, reduceStatus, touchHeartbeat } from "../../../src/subscribers/status-reducer";
import { counts, event, RUN_ID, runInfo, runStarted, START, storyStarted } from "./fixtures";

const at = (seconds: number) => new Date(Date.parse(START) + seconds * 1000).toISOString();

function fold(events: AnyNaxEvent[]) {
  return events.reduce(reduceStatus, initialStatus(runInfo));
}

describe("reduceStatus", () => {
  test("run:started marks the run running with its counts, pid, host and cost limit", () => {
    const status = fold([
      event("run:started", runStarted({ costLimit: 9, counts: counts({ passed: 1, pending: 2 }) })),
    ]);
    expect(status.run).toMatchObject({ id: RUN_ID, status: "running", feature: "auth", pid: 4242 });
    expect(status.progress).toMatchObject({ total: 3, passed: 1, pending: 2 });
    expect(status.cost).toEqual({ spent: 0, limit: 9 });
    expect(StatusFileSchema.parse(status)).toEqual(status);
  });

  test("story:started fills current, counts an iteration, and stage:started moves its phase", () => {
    const status = fold([
      event("run:started", runStarted()),
      event("story:started", storyStarted("US-002", 2), at(1)),
      event("stage:started", { storyId: "US-002", stage: "verify" }, at(2)),
      event("stage:started", { storyId: "US-009", stage: "review" }, at(3)),
    ]);
    expect(status.current).toEqual({
      storyId: "US-002",
      title: "Title of US-002",
      complexity: "simple",
      testStrategy: "test-after",
      model: "haiku",
      tier: "fast",
      attempt: 2,
      phase: "verify",
    });
    expect(status.iterations).toBe(1);
  });

  test("every agent session adds its cost, whatever its purpose", () => {
    const session = (purpose: SessionPurpose, costUsd: number) =>
      event("agent:session-completed", {
        storyId: "US-001",
        purpose,
        outcome: "success",
        costUsd,
        inputTokens: 1,
        outputTokens: 1,
        durationMs: 10,
        numTurns: 1,
      });
    const status = fold([
      event("run:started", runStarted()),
      session("implement", 0.25),
      session("rectify", 0.5),
      session("routing", 0.125),
    ]);
    expect(status.cost.spent).toBeCloseTo(0.875, 10);
  });

  test("a rate limit shows until the next session starts", () => {
    const limited = fold([
      event("run:started", runStarted()),
      event("agent:rate-limited", { storyId: "US-001", waitMs: 60_000, until: at(60), reason: "429" }, at(1)),
    ]);
    expect(limited.rateLimit).toEqual({ waitingUntil: at(60), reason: "429" });
    const resumed = reduceStatus(
      limited,
      event("agent:session-started", { storyId: "US-001", purpose: "implement", model: "haiku", tier: "fast" }, at(61)),
    );
    expect(resumed.rateLimit).toBeNull();
  });

  test("parallel lanes: each started story is a lane with its own phase, and a finished one frees its lane", () => {
    const status = fold([
      event("run:started", runStarted()),
      event("story:started", storyStarted("US-001", 1), at(1)),
      event("story:started", storyStarted("US-002", 1), at(2)),
      event("stage:started", { storyId: "US-001", stage: "verify" }, at(3)),
      event("story:completed", { storyId: "US-002", attempts: 1, costUsd: 0, durationMs: 5 }, at(4)),
    ]);
    expect(status.lanes?.map((l) => [l.storyId, l.phase])).toEqual([["US-001", "verify"]]);
    expect(status.current?.storyId).toBe("US-001");
    expect(StatusFileSchema.parse(status)).toEqual(status);
  });

  test("lanes carry their lane number and stay in lane order, whichever started first", () => {
    const status = fold([
      event("run:started", runStarted()),
      event("story:started", { ...storyStarted("US-002", 1), lane: 2 }, at(1)),
      event("story:started", { ...storyStarted("US-001", 1), lane: 1 }, at(2)),
    ]);
    expect(status.lanes?.map((l) => [l.lane, l.storyId])).toEqual([
      [1, "US-001"],
      [2, "US-002"],
    ]);
    expect(StatusFileSchema.parse(status)).toEqual(status);
  });

  test("story outcomes use the PRD counts they carry, and tally themselves when they carry none", () => {
    const withCounts = fold([
      event("run:started", runStarted()),
      event("story:started", storyStarted()),
      event("story:completed", {
        storyId: "US-001",
        attempts: 1,
        costUsd: 0.1,
        durationMs: 5,
        counts: counts({ passed: 1, skipped: 1, pending: 1 }),
      }),
    ]);
    expect(withCounts.progress).toMatchObject({ passed: 1, skipped: 1, pending: 1 });
    expect(withCounts.current).toBeNull();

    const tallied = fold([
      event("run:started", runStarted()),
      event("story:completed", { storyId: "US-001", attempts: 1, costUsd: 0.1, durationMs: 5 }),
      event("story:failed", { storyId: "US-002", attempts: 3, reason: "tiers exhausted" }),
      event("story:paused", { storyId: "US-003", reason: "needs a human" }),
    ]);
    expect(tallied.progress).toMatchObject({ passed: 1, failed: 1, paused: 1, pending: 0 });
  });

  test("run:completed is terminal with its exit reason and real counts, and nothing afterwards reopens it (trap 16)", () => {
    const done = fold([
      event("run:started", runStarted()),
      event("story:started", storyStarted()),
      event(
        "run:completed",
        {
          status: "failed",
          exitReason: "cost limit reached",
          counts: counts({ passed: 1, pending: 2 }),
          costSpent: 5.2,
          iterations: 1,
          durationMs: 90_000,
        },
        at(90),
      ),
    ]);
    expect(done.run.status).toBe("failed");
    expect(done.run.exitReason).toBe("cost limit reached");
    expect(done.progress.passed).toBe(1);
    expect(done.current).toBeNull();
    expect(done.durationMs).toBe(90_000);
    const later = [
      event("heartbeat", {}, at(95)),
      event("story:started", storyStarted("US-002"), at(96)),
      event("run:started", runStarted(), at(97)),
      event("run:crashed", { signal: "SIGTERM" }, at(98)),
    ].reduce(reduceStatus, done);
    expect(later).toBe(done);
    expect(touchHeartbeat(done, at(99))).toBe(done);
  });

  test("run:crashed records when and by which signal, and keeps the story that was running", () => {
    const crashed = fold([
      event("run:started", runStarted()),
      event("story:started", storyStarted()),
      event("run:crashed", { signal: "SIGTERM", error: "terminated" }, at(30)),
    ]);
    expect(crashed.run).toMatchObject({ status: "crashed", crashedAt: at(30), crashSignal: "SIGTERM" });
    expect(crashed.current?.storyId).toBe("US-001");
    expect(StatusFileSchema.safeParse(crashed).success).toBe(true);
  });

  test("heartbeat events move lastHeartbeat, and updatedAt and durationMs follow the event time", () => {
    const status = fold([event("run:started", runStarted()), event("heartbeat", {}, at(42))]);
    expect(status.lastHeartbeat).toBe(at(42));
    expect(status.updatedAt).toBe(at(42));
    expect(status.durationMs).toBe(42_000);
  });

  test("events that do not concern the status return the same object, so nothing is rewritten", () => {
    const status = fold([event("run:started", runStarted())]);
    const log = event("log", { level: "warn", message: "disk almost full" }, at(5));
    const verify = event(
      "verify:completed",
      {
        storyId: "US-001",
        passed: true,
        command: "bun test",
        scope: "full",
        passedCount: 3,
        failedCount: 0,
        durationMs: 9,
      },
      at(6),
    );
    expect(reduceStatus(status, log)).toBe(status);
    expect(reduceStatus(status, verify)).toBe(status);
  });
});

describe("reduceStatus: questions", () => {
  const asked = {
    questionId: "q-1a2b",
    kind: "tiers-exhausted" as const,
    prompt: "US-002 spent every tier",
    choices: ["retry", "skip", "fail"],
    fallback: "fail",
    timeoutSeconds: 600,
    expiresAt: at(601),
    channels: ["answer-file"],
    storyId: "US-002",
    lane: 2,
  };

  test("a question lists itself and pauses its story's lane with its id; the answer puts the lane back to work", () => {
    const base = [
      event("run:started", runStarted()),
      event("story:started", { ...storyStarted("US-001"), lane: 1 }, at(1)),
      event("story:started", { ...storyStarted("US-002"), lane: 2 }, at(1)),
    ];
    const waiting = fold([...base, event("interaction:asked", asked, at(2))]);
    expect(waiting.questions).toEqual([
      expect.objectContaining({ id: "q-1a2b", storyId: "US-002", lane: 2, askedAt: at(2), choices: asked.choices }),
    ]);
    expect(waiting.lanes?.map((l) => [l.storyId, l.phase, l.questionId])).toEqual([
      ["US-001", "starting", undefined],
      ["US-002", "paused", "q-1a2b"],
    ]);
    expect(StatusFileSchema.parse(waiting)).toEqual(waiting);
    const answered = fold([
      ...base,
      event("interaction:asked", asked, at(2)),
      event("interaction:answered", { questionId: "q-1a2b", choice: "skip", channel: "cli" }, at(3)),
    ]);
    expect(answered.questions).toEqual([]);
    expect(answered.lanes?.[1]).toMatchObject({ storyId: "US-002", phase: "answered" });
    expect(answered.lanes?.[1]?.questionId).toBeUndefined();
  });

  test("a fallback removes the question too, and the run's end leaves none waiting", () => {
    const fellBack = fold([
      event("run:started", runStarted()),
      event("interaction:asked", { ...asked, storyId: undefined, lane: undefined }, at(2)),
      event("interaction:fallback", { questionId: "q-1a2b", choice: "fail", reason: "no answer in 10m" }, at(3)),
    ]);
    expect(fellBack.questions).toEqual([]);
    const ended = fold([
      event("run:started", runStarted()),
      event("interaction:asked", asked, at(2)),
      event("run:crashed", { signal: "SIGINT" }, at(3)),
    ]);
    expect(ended.questions).toEqual([]);
  });
});
