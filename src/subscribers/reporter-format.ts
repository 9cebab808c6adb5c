/**
 * The console reporter's pure half: the live progress state folded from
 * events, the progress line (`[2/3] US-002 verify  1m12s  $0.42`; with
 * several lanes at work, each lane: `[2/7] 1:US-001 agent 2:US-002 verify ...`),
 * which events print a permanent line in each mode, and the final summary.
 */
import type { AnyNaxEvent, LogLevel } from "../events/events";
import type { StoryCounts } from "../prd/counts";
import { describeEvent, describeProgress } from "./describe-event";
import { formatCost, formatDuration, isoSeconds } from "./format";

export type ReporterMode = "human" | "json" | "quiet";

/** String decorators; the CLI passes chalk-based ones, tests and pipes get `plainPaint`. */
export interface Paint {
  ok(text: string): string;
  warn(text: string): string;
  error(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const same = (text: string) => text;
export const plainPaint: Paint = { ok: same, warn: same, error: same, dim: same, bold: same };

export interface LiveState {
  total: number;
  /** Stories with an outcome (including those finished before this run). */
  done: number;
  storyId?: string;
  phase?: string;
  costUsd: number;
  /** Tokens of the session in progress, as its stream reported them; cleared when the session ends. */
  sessionTokens?: number;
  /** Every story at work, in lane order (events without a lane count as lane 0). */
  lanes?: LiveLane[];
}

export interface LiveLane {
  lane: number;
  storyId: string;
  phase: string;
}

function setPhase(lanes: LiveLane[] | undefined, storyId: string, phase: string): LiveLane[] | undefined {
  return lanes?.map((l) => (l.storyId === storyId ? { ...l, phase } : l));
}

function startLane(lanes: LiveLane[] | undefined, storyId: string, lane: number): LiveLane[] {
  const others = (lanes ?? []).filter((l) => l.storyId !== storyId);
  return [...others, { lane, storyId, phase: "starting" }].sort((a, b) => a.lane - b.lane);
}

function doneOf(counts: StoryCounts): number {
  return counts.total - counts.pending;
}

export function reduceLive(state: LiveState, event: AnyNaxEvent): LiveState {
  switch (event.type) {
    case "run:started":
      return { ...state, total: event.data.counts.total, done: doneOf(event.data.counts) };
    case "story:started": {
      const { storyId, lane } = event.data;
      return { ...state, storyId, phase: "starting", lanes: startLane(state.lanes, storyId, lane ?? 0) };
    }
    case "stage:started": {
      const { storyId, stage } = event.data;
      return { ...state, phase: stage, lanes: setPhase(state.lanes, storyId, stage) };
    }
    case "agent:rate-limited": {
      // The time of day only: the live line has to stay short (`until` is an ISO time, UTC).
      const phase = `rate limited until ${isoSeconds(event.data.until).slice(11)}`;
      return { ...state, phase, lanes: setPhase(state.lanes, event.data.storyId, phase) };
    }
    case "agent:usage":
      return { ...state, sessionTokens: event.data.inputTokens + event.data.outputTokens };
    case "agent:session-completed":
      return { ...state, costUsd: state.costUsd + event.data.costUsd, sessionTokens: undefined };
    case "story:completed":
    case "story:failed":
    case "story:paused": {
      const done = event.data.counts ? doneOf(event.data.counts) : state.done + 1;
      const lanes = (state.lanes ?? []).filter((l) => l.storyId !== event.data.storyId);
      // Another lane still at work becomes the one the single-lane line shows.
      const next = lanes.at(-1);
      return { ...state, done, storyId: next?.storyId, phase: next?.phase, lanes };
    }
    default:
      return state;
  }
}

export function formatLiveLine(state: LiveState, elapsedMs: number, paint: Paint): string {
  const position = `[${Math.min(state.done + 1, Math.max(state.total, 1))}/${state.total}]`;
  const lanes = state.lanes ?? [];
  const what =
    lanes.length > 1
      ? lanes.map((l) => `${l.lane}:${paint.bold(l.storyId)} ${l.phase}`).join("  ")
      : state.storyId
        ? `${paint.bold(state.storyId)} ${state.phase ?? ""}`.trimEnd()
        : "between stories";
  // Tokens, not dollars, while a session runs: the agent reports its cost only at the end, and nax never estimates one.
  const tokens = state.sessionTokens ? `  ${paint.dim(`${formatTokens(state.sessionTokens)} tokens`)}` : "";
  return `${position} ${what}  ${paint.dim(formatDuration(elapsedMs))}  ${formatCost(state.costUsd)}${tokens}`;
}

/** `950`, `12.3k`, `1.2M`. */
export function formatTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(1)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

function painted(level: LogLevel, text: string, paint: Paint): string {
  if (level === "error") return paint.error(text);
  if (level === "warn") return paint.warn(text);
  if (level === "debug") return paint.dim(text);
  return text;
}

/**
 * The steps a person follows in human mode without `--verbose`: the run and
 * each story starting (tier and model), each verification (counts, scope),
 * each repair round, and each story's outcome. Stage transitions, agent
 * session details and the stages' own notes (the routing decision, the test
 * command, the commit) wait for `--verbose`. Warnings and errors always print.
 */
function isStep(event: AnyNaxEvent): boolean {
  switch (event.type) {
    case "run:started":
    case "story:started":
    case "verify:completed":
    case "rectify:started":
    case "autofix:started":
    case "autofix:completed":
    case "story:completed":
    case "story:failed":
    case "story:paused":
    case "story:escalated":
      return true;
    case "rectify:completed":
      // A session that ended well says nothing the next test run will not; one that failed is news.
      return !event.data.passed;
    case "log":
      // A note without a stage is the Runner's own (a skip, the deferred gate's verdict); debug never is a step.
      return event.data.level === "info" && event.data.stage === undefined;
    default:
      return false;
  }
}

/**
 * The permanent line an event prints in `human` or `quiet` mode, or undefined.
 * Run endings are left to `formatSummary`.
 */
export function permanentLine(
  event: AnyNaxEvent,
  options: { mode: "human" | "quiet"; verbose: boolean },
  paint: Paint,
): string | undefined {
  if (event.type === "run:completed" || event.type === "run:crashed") return undefined;
  const { level, message } = describeEvent(event);
  const loud = level === "warn" || level === "error";
  if (!loud) {
    if (options.mode === "quiet") return undefined;
    if (!options.verbose && !isStep(event)) return undefined;
  }
  if (event.type === "story:completed") return paint.ok(message);
  const prefix = event.type === "log" && loud ? `${level}: ` : "";
  return painted(level, `${prefix}${message}`, paint);
}

export function formatSummary(event: AnyNaxEvent, paint: Paint): string | undefined {
  if (event.type === "run:completed") {
    const d = event.data;
    const reason = d.exitReason ? ` (${d.exitReason})` : "";
    const estimated = d.costEstimated ? ` (${formatCost(d.costEstimated)} estimated from tokens)` : "";
    const text = `nax: run ${d.status}${reason}: ${describeProgress(d.counts)} in ${formatDuration(d.durationMs)}, ${formatCost(d.costSpent)}${estimated} [${event.runId}]`;
    if (d.status === "completed") return paint.ok(paint.bold(text));
    return d.status === "stalled" ? paint.warn(paint.bold(text)) : paint.error(paint.bold(text));
  }
  if (event.type === "run:crashed") {
    const progress = event.data.counts ? `: ${describeProgress(event.data.counts)}` : "";
    return paint.error(paint.bold(`nax: ${describeEvent(event).message}${progress} [${event.runId}]`));
  }
  return undefined;
}
