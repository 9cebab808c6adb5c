import { describe, expect, test } from "bun:test";
import type { AnyNaxEvent } from "../../../src/events/events";
import { formatCost } from "../../../src/subscribers/format";
import {
  formatLiveLine,
  formatSummary,
  permanentLine,
  plainPaint,
  reduceLive,
} from "../../../src/subscribers/reporter-format";
import { counts, event, storyStarted } from "./fixtures";

const human = { mode: "human", verbose: false } as const;
const verbose = { mode: "human", verbose: true } as const;
const quiet = { mode: "quiet", verbose: false } as const;

const line = (e: AnyNaxEvent, options: Parameters<typeof permanentLine>[1] = human) =>
  permanentLine(e, options, plainPaint);

describe("formatCost", () => {
  test("a cent or more has two decimals", () => {
    expect(formatCost(0.01)).toBe("$0.01");
    expect(formatCost(0.4213)).toBe("$0.42");
    expect(formatCost(12)).toBe("$12.00");
    expect(formatCost(1234.567)).toBe("$1234.57");
  });

  test("less than a cent keeps two significant digits, so it never reads as zero", () => {
    expect(formatCost(0.0003)).toBe("$0.0003");
    expect(formatCost(0.00034)).toBe("$0.00034");
    expect(formatCost(0.0042)).toBe("$0.0042");
    expect(formatCost(0.005)).toBe("$0.005");
    // Rounding up to a whole cent reads as a cent, with the usual two decimals.
    expect(formatCost(0.00999)).toBe("$0.01");
  });

  test("nothing spent is $0.00, a vanishing cost says it is below the smallest shown, and garbage reads as nothing", () => {
    expect(formatCost(0)).toBe("$0.00");
    expect(formatCost(1e-9)).toBe("<$0.000001");
    expect(formatCost(Number.NaN)).toBe("$0.00");
    expect(formatCost(Number.POSITIVE_INFINITY)).toBe("$0.00");
  });
});

describe("formatLiveLine and formatSummary", () => {
  test("the live line shows position, story, phase, elapsed time and a sub-cent cost as it is", () => {
    const text = formatLiveLine(
      { total: 3, done: 1, storyId: "US-002", phase: "verify", costUsd: 0.0007 },
      72_000,
      plainPaint,
    );
    expect(text).toBe("[2/3] US-002 verify  1m12s  $0.0007");
    expect(formatLiveLine({ total: 3, done: 3, costUsd: 0.42 }, 0, plainPaint)).toBe(
      "[3/3] between stories  0ms  $0.42",
    );
  });

  test("with several lanes at work the live line shows every lane's story and phase, in lane order", () => {
    const events = [
      event("story:started", { ...storyStarted("US-002", 1), lane: 2 }),
      event("story:started", { ...storyStarted("US-001", 1), lane: 1 }),
      event("stage:started", { storyId: "US-002", stage: "verify", lane: 2 }),
      event("stage:started", { storyId: "US-001", stage: "agent", lane: 1 }),
    ];
    const state = events.reduce(reduceLive, { total: 3, done: 0, costUsd: 0 });
    expect(formatLiveLine(state, 1000, plainPaint)).toBe("[1/3] 1:US-001 agent  2:US-002 verify  1s  $0.00");
    // One lane left: the line reads as a sequential run's.
    const one = reduceLive(
      state,
      event("story:completed", { storyId: "US-001", attempts: 1, costUsd: 0, durationMs: 1 }),
    );
    expect(formatLiveLine(one, 1000, plainPaint)).toBe("[2/3] US-002 verify  1s  $0.00");
  });

  test("a rate-limited story's phase names only the time of day it waits for, to keep the live line short", () => {
    const limited = event("agent:rate-limited", {
      storyId: "US-002",
      waitMs: 60_000,
      until: "2026-03-07T05:31:00.000Z",
      reason: "429",
    });
    const state = reduceLive({ total: 3, done: 1, storyId: "US-002", phase: "agent", costUsd: 0 }, limited);
    expect(formatLiveLine(state, 1_000, plainPaint)).toBe("[2/3] US-002 rate limited until 05:31:00Z  1s  $0.00");
  });

  test("the run summary shows a sub-cent total as it is", () => {
    const completed = event("run:completed", {
      status: "completed",
      counts: counts({ passed: 3, pending: 0 }),
      costSpent: 0.0009,
      iterations: 3,
      durationMs: 3_000,
    });
    expect(formatSummary(completed, plainPaint)).toBe(
      "nax: run completed: 3/3 passed in 3s, $0.0009 [run-2026-03-07T05-30-00-000Z]",
    );
  });
});

describe("permanentLine", () => {
  const stageDone = event("stage:completed", {
    storyId: "US-001",
    stage: "routing",
    action: "continue",
    durationMs: 2,
  });
  const debugNote = event("log", { level: "debug", message: "stage routing → continue", stage: "routing" });
  const stageNote = event("log", { level: "info", message: "verify (full): bun test", stage: "verify" });
  const runnerNote = event("log", { level: "info", message: "US-003 skipped: not needed", storyId: "US-003" });
  const warning = event("log", { level: "warn", message: "lint command missing", stage: "review" });
  const session = event("agent:session-completed", {
    storyId: "US-001",
    purpose: "implement",
    outcome: "success",
    costUsd: 0.01,
    inputTokens: 1,
    outputTokens: 1,
    durationMs: 1,
    numTurns: 1,
  });

  test("stage transitions, debug notes, stage notes and agent sessions wait for --verbose", () => {
    for (const e of [stageDone, debugNote, stageNote, session]) {
      expect(line(e)).toBeUndefined();
      expect(line(e, verbose)).toBeString();
    }
    expect(line(debugNote, verbose)).toBe("stage routing → continue");
  });

  test("a story's start, its repair rounds and the Runner's own notes are steps", () => {
    expect(line(event("story:started", storyStarted()))).toBe(
      "US-001 started (attempt 1, fast/haiku, simple): Title of US-001",
    );
    expect(line(event("rectify:started", { storyId: "US-001", attempt: 2, failingTests: 3 }))).toBe(
      "US-001 rectify attempt 2 started (3 failing tests)",
    );
    expect(line(event("autofix:completed", { storyId: "US-001", attempt: 1, passed: true, mechanical: true }))).toBe(
      "US-001 autofix attempt 1 fixed it (mechanical)",
    );
    expect(line(runnerNote)).toBe("US-003 skipped: not needed");
  });

  test("a rectify session is a step only when it failed; its success is told by the next test run", () => {
    expect(line(event("rectify:completed", { storyId: "US-001", attempt: 1, passed: true }))).toBeUndefined();
    expect(line(event("rectify:completed", { storyId: "US-001", attempt: 1, passed: false }))).toBe(
      "US-001 rectify attempt 1: the agent session did not succeed",
    );
  });

  test("warnings always print, with their level when they are log records; quiet mode prints nothing else", () => {
    expect(line(warning)).toBe("warn: lint command missing");
    expect(line(warning, quiet)).toBe("warn: lint command missing");
    expect(line(event("story:started", storyStarted()), quiet)).toBeUndefined();
    expect(line(runnerNote, quiet)).toBeUndefined();
  });

  test("run endings are left to the summary", () => {
    const crashed = event("run:crashed", { signal: "SIGINT" });
    expect(line(crashed, verbose)).toBeUndefined();
  });
});
