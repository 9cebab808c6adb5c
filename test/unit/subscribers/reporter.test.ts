import { describe, expect, test } from "bun:test";
import type { NaxEventMap } from "../../../src/events/events";
import type { StageName } from "../../../src/events/vocabulary";
import {
  attachConsoleReporter,
  createInterjection,
  type Paint,
  plainPaint,
  type ReporterMode,
} from "../../../src/subscribers/reporter";
import { counts, createManualTicker, createTestBus, runStarted, storyStarted } from "./fixtures";

/** Marks painted text so a test can see whether colour was applied. */
const markerPaint: Paint = {
  ok: (t) => `<ok>${t}</ok>`,
  warn: (t) => `<warn>${t}</warn>`,
  error: (t) => `<error>${t}</error>`,
  dim: (t) => `<dim>${t}</dim>`,
  bold: (t) => `<b>${t}</b>`,
};

const WRAP_ON = "\x1b[?7h";
/** How the live line is drawn: cleared, then written with auto-wrap off, so a narrow terminal cuts it instead of wrapping it. */
const live = (text: string) => `\r\x1b[2K\x1b[?7l${text}${WRAP_ON}`;

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

/** One story that needs a rectify round, with the stage traffic and notes a real run produces. */
function playRectifiedStory(bus: ReturnType<typeof createTestBus>["bus"]) {
  const stage = (name: StageName) => {
    bus.emit("stage:started", { storyId: "US-001", stage: name });
    bus.emit("log", { level: "debug", message: `stage ${name} → continue`, storyId: "US-001", stage: name });
    bus.emit("stage:completed", { storyId: "US-001", stage: name, action: "continue", durationMs: 3 });
  };
  const verify = (passed: boolean) =>
    bus.emit("verify:completed", {
      storyId: "US-001",
      passed,
      command: "bun test",
      scope: "full",
      passedCount: passed ? 3 : 2,
      failedCount: passed ? 0 : 1,
      durationMs: 1_200,
    });
  bus.emit("run:started", runStarted());
  bus.emit("story:started", storyStarted("US-001"));
  stage("routing");
  bus.emit("log", { level: "info", message: "routed US-001: simple", storyId: "US-001", stage: "routing" });
  stage("context");
  bus.emit("agent:session-started", { storyId: "US-001", purpose: "implement", model: "haiku", tier: "fast" });
  bus.emit("agent:session-completed", { ...session(0.0002), storyId: "US-001" });
  bus.emit("log", { level: "info", message: "verify (full): bun test", storyId: "US-001", stage: "verify" });
  verify(false);
  bus.emit("rectify:started", { storyId: "US-001", attempt: 1, failingTests: 1 });
  bus.emit("agent:session-completed", { ...session(0.0001), storyId: "US-001", purpose: "rectify" });
  bus.emit("rectify:completed", { storyId: "US-001", attempt: 1, passed: true });
  verify(true);
  bus.emit("log", { level: "info", message: "committed US-001 as abc", storyId: "US-001", stage: "completion" });
  bus.emit("story:completed", { storyId: "US-001", attempts: 1, costUsd: 0.0003, durationMs: 4_000 });
  bus.emit("log", { level: "info", message: "deferred regression gate passed (3 tests)" });
  bus.emit("run:completed", {
    status: "completed",
    counts: counts({ passed: 3, pending: 0 }),
    costSpent: 0.0003,
    iterations: 1,
    durationMs: 5_000,
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
      "US-001 passed in 1 attempt (5ms, $0.10)",
      "US-002 started (attempt 1, fast/haiku, simple): Title of US-002",
      "US-002 escalated fast → balanced: tests fail",
      "nax: run failed (iteration limit): 1/3 passed, 2 pending in 1m12s, $0.52 [run-2026-03-07T05-30-00-000Z]",
      "",
    ]);
  });

  test("without --verbose, prints one line per step: no stage transitions, session details or stage notes", async () => {
    const { bus, output } = setup("human", false);
    playRectifiedStory(bus);
    await bus.drain();
    expect(output().split("\n")).toEqual([
      "run started: feature auth, 0/3 passed, 3 pending",
      "US-001 started (attempt 1, fast/haiku, simple): Title of US-001",
      "US-001 tests failed (full: 2 passed, 1 failed, 1s)",
      "US-001 rectify attempt 1 started (1 failing test)",
      "US-001 tests passed (full: 3 passed, 0 failed, 1s)",
      "US-001 passed in 1 attempt (4s, $0.0003)",
      "deferred regression gate passed (3 tests)",
      "nax: run completed: 3/3 passed in 5s, $0.0003 [run-2026-03-07T05-30-00-000Z]",
      "",
    ]);
  });

  test("with --verbose, the same story also shows stage transitions, sessions and the stages' notes", async () => {
    const { bus, output } = setup("human", false, plainPaint, true);
    playRectifiedStory(bus);
    await bus.drain();
    const text = output();
    for (const line of [
      "US-001 routing started",
      "stage routing → continue",
      "US-001 context → continue in 3ms",
      "routed US-001: simple",
      "US-001 agent session (implement) started on fast/haiku",
      "US-001 agent session (rectify) success ($0.0001, 1 turn, 1ms)",
      "verify (full): bun test",
      "US-001 rectify attempt 1 done; verifying again",
      "committed US-001 as abc",
    ]) {
      expect(text).toContain(`${line}\n`);
    }
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
    expect(text.endsWith(live("[2/3] US-002 verify  1m12s  $0.42"))).toBe(true);
    // The outcome is a permanent line: the live line is cleared before it and redrawn after it.
    expect(text).toContain(
      `${WRAP_ON}\r\x1b[2KUS-001 passed in 1 attempt (5ms, $0.10)\n${live("[2/3] between stories  0ms  $0.00")}`,
    );
    // The start keeps its own line too: it is where the tier and model are told.
    expect(text).toContain("\r\x1b[2KUS-002 started (attempt 1, fast/haiku, simple): Title of US-002\n");
  });

  test("in a terminal, a sub-cent cost on the live line is not rounded to zero", async () => {
    const { bus, manual, output } = setup("human", true);
    bus.emit("run:started", runStarted());
    bus.emit("story:started", storyStarted("US-001"));
    bus.emit("stage:started", { storyId: "US-001", stage: "agent" });
    bus.emit("agent:session-completed", { ...session(0.0003), storyId: "US-001" });
    await bus.drain();
    manual.fire();
    expect(output().endsWith(live("[1/3] US-001 agent  0ms  $0.0003"))).toBe(true);
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

  test("in a terminal a long title is cut to the terminal's width with an ellipsis, never wrapped; in a pipe it is kept whole", async () => {
    const title = "A story whose title goes on and on ".repeat(6).trim();
    const started = { ...storyStarted("US-001"), title };
    for (const isTTY of [true, false]) {
      const { bus } = createTestBus();
      let out = "";
      attachConsoleReporter(bus, {
        write: (text) => {
          out += text;
        },
        isTTY,
        mode: "human",
        verbose: false,
        paint: markerPaint,
        clock: createTestBus().clock,
        totalStories: 1,
        ticker: createManualTicker().ticker,
        columns: () => 60,
      });
      bus.emit("run:started", runStarted());
      bus.emit("story:started", started);
      await bus.drain();
      // The permanent line is what follows the live line's clearing on its row.
      const row = out.split("\n").find((l) => l.includes("US-001 started")) ?? "";
      const line = row.split("\r\x1b[2K").at(-1) ?? "";
      const visible = line;
      if (isTTY) {
        expect(visible).toHaveLength(59);
        expect(visible.endsWith("…")).toBe(true);
      } else {
        expect(visible.endsWith(title)).toBe(true);
      }
    }
  });

  test("the live line is cut to the width too, and the interjection clears it for other console output", async () => {
    const { bus, clock } = createTestBus();
    const manual = createManualTicker();
    const interjection = createInterjection();
    let out = "";
    attachConsoleReporter(bus, {
      write: (text) => {
        out += text;
      },
      isTTY: true,
      mode: "human",
      verbose: false,
      paint: plainPaint,
      clock,
      totalStories: 3,
      ticker: manual.ticker,
      columns: () => 12,
      interjection,
    });
    bus.emit("run:started", runStarted());
    bus.emit("story:started", storyStarted("US-001"));
    await bus.drain();
    manual.fire();
    // 12 columns: 11 characters and the last column free.
    expect(out.endsWith(live("[1/3] US-0…"))).toBe(true);
    interjection.clearLive();
    expect(out.endsWith(`${live("[1/3] US-0…")}\r\x1b[2K`)).toBe(true);
  });

  test("while a session runs the live line shows the tokens its stream reported; its cost joins the total when it ends", async () => {
    const { bus, manual, output } = setup("human", true);
    bus.emit("run:started", runStarted());
    bus.emit("story:started", storyStarted("US-001"));
    bus.emit("agent:usage", { storyId: "US-001", purpose: "implement", inputTokens: 12_000, outputTokens: 345 });
    await bus.drain();
    manual.fire();
    expect(output().endsWith(live("[1/3] US-001 starting  0ms  $0.00  12.3k tokens"))).toBe(true);
    bus.emit("agent:session-completed", { ...session(0.42), storyId: "US-001" });
    await bus.drain();
    manual.fire();
    expect(output().endsWith(live("[1/3] US-001 starting  0ms  $0.42"))).toBe(true);
  });
});
