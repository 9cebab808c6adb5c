/**
 * The console reporter. `json`: every event as one JSON line (JSONL), the
 * same envelope the event log holds (events/envelope.ts).
 * `human`: one permanent line per step (story start, verification, repair
 * round, outcome, warnings; everything with `--verbose`, see
 * reporter-format.ts); in a terminal, also one live progress line rewritten in
 * place (refreshed on events and by a 1 s timer), cleared before each
 * permanent line and drawn again below it. In a terminal the live line and a
 * story's start line (it carries the title) are cut to the terminal's width,
 * never wrapped; something else printing on the console (the interrupt
 * message) first clears the live line through `interjection`. In a pipe: plain
 * lines only, no `\r`, no colour. `quiet`: only warnings, errors and the
 * final summary.
 */
import type { Detach, EventBus } from "../events/bus";
import type { AnyNaxEvent } from "../events/events";
import type { Clock } from "../system/clock";
import { envelopeLine } from "./envelope";
import { cutToWidth } from "./format";
import {
  formatLiveLine,
  formatSummary,
  type LiveState,
  type Paint,
  permanentLine,
  plainPaint,
  type ReporterMode,
  reduceLive,
} from "./reporter-format";
import { intervalTicker, type Ticker } from "./ticker";

export type { Paint, ReporterMode } from "./reporter-format";
export { plainPaint } from "./reporter-format";

export interface ConsoleReporterDeps {
  /** Raw output: the reporter writes its own newlines and carriage returns. */
  write(text: string): void;
  isTTY: boolean;
  mode: ReporterMode;
  verbose: boolean;
  paint: Paint;
  clock: Clock;
  totalStories: number;
  ticker?: Ticker;
  refreshMs?: number;
  /** The terminal's width now (it can be resized); undefined when unknown. */
  columns?: () => number | undefined;
  /** Filled in by the reporter: what anyone else writing to the console calls first. */
  interjection?: ConsoleInterjection;
}

/** Lets other console output (the crash handler's messages) clear the live line before it prints. */
export interface ConsoleInterjection {
  clearLive(): void;
}

export function createInterjection(): ConsoleInterjection {
  return { clearLive: () => undefined };
}

/** Back to column 0, then erase the line. */
const CLEAR_LINE = "\r\x1b[2K";
/**
 * Auto-wrap off while the live line is drawn, on again after: a line wider than
 * the terminal is cut at the margin instead of wrapping onto a second row,
 * which CLEAR_LINE would not erase (each redraw would leave a copy behind).
 */
const NO_WRAP = "\x1b[?7l";
const WRAP = "\x1b[?7h";

export function attachConsoleReporter(bus: EventBus, deps: ConsoleReporterDeps): Detach {
  if (deps.mode === "json") {
    return bus.onAny((event) => deps.write(envelopeLine(event)), { name: "console-reporter" });
  }
  const live = deps.mode === "human" && deps.isTTY;
  // Colour only where a person is looking at a terminal.
  const paint = deps.isTTY ? deps.paint : plainPaint;
  let state: LiveState = { total: deps.totalStories, done: 0, costUsd: 0 };
  let startedAtMs: number | undefined;
  let liveShown = false;
  let finished = false;
  let stopTimer: (() => void) | undefined;

  // The last column stays free: a line that fills the width exactly wraps on some terminals.
  const width = () => {
    const columns = deps.isTTY ? deps.columns?.() : undefined;
    return columns === undefined ? undefined : columns - 1;
  };
  const drawLive = () => {
    if (!live || startedAtMs === undefined) return;
    const text = cutToWidth(formatLiveLine(state, deps.clock.now() - startedAtMs, paint), width());
    deps.write(`${CLEAR_LINE}${NO_WRAP}${text}${WRAP}`);
    liveShown = true;
  };
  const clearLive = () => {
    if (!liveShown) return;
    deps.write(CLEAR_LINE);
    liveShown = false;
  };
  if (deps.interjection) deps.interjection.clearLive = clearLive;
  const stop = () => {
    stopTimer?.();
    stopTimer = undefined;
  };
  const print = (line: string) => {
    clearLive();
    deps.write(`${line}\n`);
  };

  const onEvent = (event: AnyNaxEvent) => {
    state = reduceLive(state, event);
    if (event.type === "run:started" && startedAtMs === undefined) {
      startedAtMs = deps.clock.now();
      if (live) stopTimer = (deps.ticker ?? intervalTicker)(deps.refreshMs ?? 1000, drawLive);
    }
    const summary = formatSummary(event, paint);
    if (summary !== undefined) {
      stop();
      // One summary per run: a crash signal arriving while the bus drains must not contradict it.
      if (!finished) print(summary);
      finished = true;
      startedAtMs = undefined;
      return;
    }
    const line = permanentLine(
      event,
      { mode: deps.mode === "quiet" ? "quiet" : "human", verbose: deps.verbose },
      paint,
    );
    if (line !== undefined) print(event.type === "story:started" ? cutToWidth(line, width()) : line);
    drawLive();
  };

  const unsubscribe = bus.onAny(onEvent, { name: "console-reporter" });
  return () => {
    stop();
    clearLive();
    unsubscribe();
  };
}
