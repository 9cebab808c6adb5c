import { describe, expect, test } from "bun:test";
import { parseEventLog, summarizeEventLog } from "../../../src/readers/event-log";
import { counts, eventLine, eventText } from "../../helpers/state-fixtures";

const RUN = "run-x";

describe("parseEventLog", () => {
  test("counts lines that are not valid event lines instead of failing", () => {
    const text = `${eventText([eventLine(RUN, "run:started")])}not json\n{"ts":1}\n\n`;
    const parsed = parseEventLog(text);
    expect(parsed.lines).toHaveLength(1);
    expect(parsed.invalid).toBe(2);
  });
});

describe("summarizeEventLog", () => {
  test("adds up session costs, keeps the latest counts and the story still in progress", () => {
    const summary = summarizeEventLog([
      eventLine(RUN, "run:started", { pid: 5, hostname: "h", counts: counts(0, 2) }),
      eventLine(RUN, "story:started", { storyId: "A" }),
      eventLine(RUN, "agent:session-completed", { storyId: "A", costUsd: 0.25 }),
      eventLine(RUN, "story:completed", { storyId: "A", counts: counts(1, 2) }),
      eventLine(RUN, "story:started", { storyId: "B" }),
      eventLine(RUN, "agent:session-completed", { storyId: "B", costUsd: 0.5 }),
    ]);
    expect(summary.costUsd).toBe(0.75);
    expect(summary.counts).toEqual(counts(1, 2));
    expect(summary.storyInProgress).toBe("B");
    expect(summary.pid).toBe(5);
    expect(summary.terminal).toBeUndefined();
  });

  test("a finished story is no longer in progress and the terminal line is kept", () => {
    const summary = summarizeEventLog([
      eventLine(RUN, "story:started", { storyId: "A" }),
      eventLine(RUN, "story:failed", { storyId: "A" }),
      eventLine(RUN, "run:completed", { status: "failed" }),
    ]);
    expect(summary.storyInProgress).toBeUndefined();
    expect(summary.terminal?.type).toBe("run:completed");
  });
});

describe("a log written before envelope v1", () => {
  /** Lines exactly as nax wrote them before the envelope was versioned (`ts`, a `log` line's payload flattened). */
  const OLD_LOG = [
    {
      ts: "2026-03-01T10:00:00.000Z",
      seq: 1,
      runId: RUN,
      type: "run:started",
      level: "info",
      message: "run started: feature f, 0/2 passed, 2 pending",
      data: {
        feature: "f",
        project: "p",
        workdir: "/w",
        pid: 42,
        hostname: "h",
        dryRun: false,
        costLimit: 5,
        counts: counts(0, 2),
      },
    },
    {
      ts: "2026-03-01T10:00:01.000Z",
      seq: 2,
      runId: RUN,
      type: "log",
      level: "warn",
      message: "lint skipped",
      storyId: "A",
      stage: "review",
      data: { reason: "no command" },
    },
    {
      ts: "2026-03-01T10:00:02.000Z",
      seq: 3,
      runId: RUN,
      type: "agent:session-completed",
      level: "info",
      message: "A agent session (implement) success",
      storyId: "A",
      stage: "agent",
      data: {
        storyId: "A",
        purpose: "implement",
        outcome: "success",
        costUsd: 0.4,
        inputTokens: 1,
        outputTokens: 1,
        durationMs: 5,
        numTurns: 1,
      },
    },
    {
      ts: "2026-03-01T10:05:00.000Z",
      seq: 4,
      runId: RUN,
      type: "run:completed",
      level: "error",
      message: "run failed",
      data: {
        status: "failed",
        exitReason: "A failed",
        counts: counts(1, 2, 1),
        costSpent: 0.4,
        iterations: 1,
        durationMs: 300_000,
      },
    },
  ];

  test("is read whole, each line lifted into the envelope, and summarised like a new one", () => {
    const parsed = parseEventLog(`${OLD_LOG.map((line) => JSON.stringify(line)).join("\n")}\n`);
    expect(parsed.invalid).toBe(0);
    expect(parsed.lines.map((l) => `${l.v} ${l.seq} ${l.type} ${l.at}`)).toEqual([
      "1 1 run:started 2026-03-01T10:00:00.000Z",
      "1 2 log 2026-03-01T10:00:01.000Z",
      "1 3 agent:session-completed 2026-03-01T10:00:02.000Z",
      "1 4 run:completed 2026-03-01T10:05:00.000Z",
    ]);
    expect(parsed.lines[1]).toMatchObject({
      level: "warn",
      storyId: "A",
      data: { message: "lint skipped", stage: "review" },
    });
    const summary = summarizeEventLog(parsed.lines);
    expect(summary).toMatchObject({ pid: 42, hostname: "h", costUsd: 0.4, counts: counts(1, 2, 1) });
    expect(summary.terminal?.data).toMatchObject({ status: "failed", exitReason: "A failed" });
  });
});
