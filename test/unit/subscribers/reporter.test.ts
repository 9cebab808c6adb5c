import { describe, expect, test } from "bun:test";
import type { NaxEventMap } from "../../../src/events/events";
import { attachConsoleReporter, type Paint, plainPaint, type ReporterMode } from "../../../src/subscribers/reporter";
import { counts, createManualTicker, createTestBus, runStarted, storyStarted } from "./fixtures";

/** Marks painted text so a test can see whether colour was applied. */
const markerPaint: Paint = {
  ok: (t) => `<ok>${t}</ok>`,
  warn: (t) => `<warn>${t}</warn>`,
  error: (t) => `<error>${t}</error>`,
  dim: (t) => `<dim>${t}</dim>`,
  bold: (t) => `<b>${t}</b>`,
};

function setup(mode: ReporterMode, isTTY: boolean, paint: Paint = plainPaint, verbose = false) {
  const { bus, clock } = createTestBus();
  const manual = createManualTicker();
  let out = "";
  const detach = attachConsoleReporter(bus, {
    write: (text) => {
      out += text;
    },
    isTTY,
    mode,
    verbose,
    paint,
    clock,
    totalStories: 3,
    ticker: manual.ticker,
  });
  return { bus, clock, manual, detach, output: () => out };
}

const session = (costUsd: number): NaxEventMap["agent:session-completed"] => ({
  storyId: "US-002",
  purpose: "implement",
  outcome: "success",
  costUsd,
  inputTokens: 1,
  outputTokens: 1,
  durationMs: 1,
  numTurns: 1,
});

function playRun(bus: ReturnType<typeof createTestBus>["bus"], clock: ReturnType<typeof createTestBus>["clock"]) {
  bus.emit("run:started", runStarted());
  bus.emit("story:started", storyStarted("US-001"));
  bus.emit("story:completed", { storyId: "US-001", attempts: 1, costUsd: 0.1, durationMs: 5 });
  bus.emit("story:started", storyStarted("US-002"));
  bus.emit("stage:started", { storyId: "US-002", stage: "verify" });
  bus.emit("agent:session-completed", session(0.42));
  clock.advance(72_000);
  bus.emit("story:escalated", { storyId: "US-002", fromTier: "fast", toTier: "balanced", reason: "tests fail" });
  bus.emit("run:completed", {
    status: "failed",
    exitReason: "iteration limit",
    counts: counts({ passed: 1, pending: 2 }),
    costSpent: 0.52,
    iterations: 2,
    durationMs: 72_000,
  });
}

describe("attachConsoleReporter", () => {
  test("in a pipe, prints plain lines only: no carriage return, no escape codes, no colour", async () => {
    const { bus, clock, manual, output } = setup("human", false, markerPaint);
    playRun(bus, clock);
    await bus.drain();
    const text = output();
    expect(text).not.toContain("\r");
    expect(text).not.toContain("\x1b");
    expect(text).not.toContain("<");
    expect(manual.active()).toBe(0);
    expect(text.split("\n")).toEqual([
      "run started: feature auth, 0/3 passed, 3 pending",
      "US-001 started (attempt 1, fast/haiku, simple): Title of US-001",
      "US-001 passed in 1 attempt ($0.1000)",
      "US-002 started (attempt 1, fast/haiku, simple): Title of US-002",
      "US-002 escalated fast → balanced: tests fail",
      "nax: run failed (iteration limit): 1/3 passed, 2 pending in 1m12s, $0.52 [run-2026-03-07T05-30-00-000Z]",
      "",
    ]);
  });

  test("in a terminal, keeps one live progress line rewritten in place and prints outcomes above it", async () => {
    const { bus, clock, manual, output } = setup("human", true);
    bus.emit("run:started", runStarted());
    bus.emit("story:started", storyStarted("US-001"));
    bus.emit("story:completed", { storyId: "US-001", attempts: 1, costUsd: 0.1, durationMs: 5 });
    bus.emit("story:started", storyStarted("US-002"));
    bus.emit("stage:started", { storyId: "US-002", stage: "verify" });
    bus.emit("agent:session-completed", session(0.42));
    await bus.drain();
    expect(manual.intervals()).toEqual([1000]);

    clock.advance(72_000);
    manual.fire();
    const text = output();
    expect(text.endsWith("\r\x1b[2K[2/3] US-002 verify  1m12s  $0.42")).toBe(true);
    // The outcome is a permanent line: the live line is cleared before it and redrawn after it.
    expect(text).toContain("\r\x1b[2KUS-001 passed in 1 attempt ($0.1000)\n\r\x1b[2K[2/3] ");
    // story:started is shown by the live line, not as its own line.
    expect(text).not.toContain("US-002 started");
  });

  test("in a terminal, the summary replaces the live line and the refresh timer stops", async () => {
    const { bus, clock, manual, output } = setup("human", true, markerPaint);
    playRun(bus, clock);
    await bus.drain();
    expect(manual.active()).toBe(0);
    const text = output();
    expect(text.endsWith("</b></error>\n")).toBe(true);
    expect(text).toContain("\r\x1b[2K<error><b>nax: run failed (iteration limit)");
  });

  test("detaching stops the refresh timer and clears the live line", async () => {
    const { bus, manual, detach, output } = setup("human", true);
    bus.emit("run:started", runStarted());
    await bus.drain();
    expect(manual.active()).toBe(1);
    detach();
    expect(manual.active()).toBe(0);
    expect(output().endsWith("\r\x1b[2K")).toBe(true);
  });

  test("json mode writes every event as one parseable JSON line", async () => {
    const { bus, clock, output } = setup("json", true, markerPaint);
    playRun(bus, clock);
    await bus.drain();
    const lines = output().trimEnd().split("\n");
    expect(lines).toHaveLength(8);
    const parsed = lines.map((line) => JSON.parse(line) as { type: string; seq: number });
    expect(parsed.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parsed[7]?.type).toBe("run:completed");
  });

  test("json mode never prints a secret-looking value carried in a payload", async () => {
    const { bus, output } = setup("json", false);
    bus.emit("log", { level: "info", message: "spawned", data: { apiKey: "sk-ant-secret", model: "haiku" } });
    await bus.drain();
    expect(output()).not.toContain("sk-ant-secret");
    expect(JSON.parse(output()).data.data).toEqual({ apiKey: "[redacted]", model: "haiku" });
  });

  test("quiet mode prints only warnings, errors and the final summary", async () => {
    const { bus, clock, output } = setup("quiet", false);
    playRun(bus, clock);
    bus.emit("log", { level: "info", message: "routine note" });
    await bus.drain();
    expect(output().split("\n")).toEqual([
      "US-002 escalated fast → balanced: tests fail",
      "nax: run failed (iteration limit): 1/3 passed, 2 pending in 1m12s, $0.52 [run-2026-03-07T05-30-00-000Z]",
      "",
    ]);
  });

  test("verbose human mode also prints debug and info events, and logged warnings carry their level", async () => {
    const { bus, output } = setup("human", false, plainPaint, true);
    bus.emit("run:started", runStarted());
    bus.emit("stage:started", { storyId: "US-001", stage: "agent" });
    bus.emit("log", { level: "warn", message: "lint command missing" });
    await bus.drain();
    expect(output()).toContain("US-001 agent started\n");
    expect(output()).toContain("warn: lint command missing\n");
  });

  test("a crash after the summary does not print a second, contradicting summary", async () => {
    const { bus, clock, output } = setup("human", false);
    playRun(bus, clock);
    bus.emit("run:crashed", { signal: "SIGINT" });
    await bus.drain();
    expect(output().match(/nax: run/g)).toHaveLength(1);
  });
});
