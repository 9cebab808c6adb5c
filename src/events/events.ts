/**
 * The typed event map: every event a run emits, with its payload. Each event
 * has exactly one owner that emits it, once per occurrence (docs/architecture.md, "Events and subscribers"). The
 * bus wraps every payload in an envelope with the run id and time.
 *
 * Declared in the event list but not emitted by any code path yet, and relied on by
 * nothing: `run:paused` and `human-review:requested` belong to human-in-the-loop
 * interaction (a later issue; its subscriber must be awaited with `emitAsync`,
 * which a source rule test enforces), and `heartbeat` — the live status file
 * refreshes `lastHeartbeat` from its own timer instead, so the event log is not
 * filled with a line every ten seconds. Subscribers already handle all three.
 */
import type { StoryCounts } from "../prd/counts";

export type Tier = string;
export type RunTerminalStatus = "completed" | "failed" | "stalled";
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface StoryRef {
  storyId: string;
}

export interface NaxEventMap {
  "run:started": {
    feature: string;
    project: string;
    workdir: string;
    pid: number;
    hostname: string;
    dryRun: boolean;
    costLimit: number;
    counts: StoryCounts;
  };
  "run:completed": {
    status: RunTerminalStatus;
    exitReason?: string;
    counts: StoryCounts;
    costSpent: number;
    iterations: number;
    durationMs: number;
  };
  "run:paused": { reason: string; counts: StoryCounts };
  "run:crashed": { signal?: string; error?: string; storyId?: string; counts?: StoryCounts };
  "story:started": StoryRef & {
    title: string;
    attempt: number;
    tier: Tier;
    model: string;
    complexity: string;
    testStrategy: string;
  };
  /** `counts` (optional) are the PRD's story counts after this outcome; status subscribers prefer them to their own tally. */
  "story:completed": StoryRef & {
    attempts: number;
    costUsd: number;
    durationMs: number;
    commit?: string;
    counts?: StoryCounts;
  };
  "story:failed": StoryRef & { reason: string; attempts: number; stage?: string; counts?: StoryCounts };
  "story:paused": StoryRef & { reason: string; counts?: StoryCounts };
  "story:escalated": StoryRef & { fromTier: Tier; toTier: Tier; reason: string };
  "stage:started": StoryRef & { stage: string };
  "stage:completed": StoryRef & { stage: string; action: string; durationMs: number; reason?: string };
  "agent:session-started": StoryRef & { purpose: string; model: string; tier: Tier };
  "agent:session-completed": StoryRef & {
    purpose: string;
    outcome: string;
    costUsd: number;
    inputTokens: number;
    outputTokens: number;
    durationMs: number;
    numTurns: number;
    sessionId?: string;
    error?: string;
  };
  /** The session's tokens so far, each time the agent's stream reports more; cost comes only with the session's end. */
  "agent:usage": StoryRef & { purpose: string; inputTokens: number; outputTokens: number };
  "agent:rate-limited": StoryRef & { waitMs: number; until: string; reason: string };
  "verify:completed": StoryRef & {
    passed: boolean;
    command: string;
    scope: "scoped" | "full";
    passedCount: number;
    failedCount: number;
    durationMs: number;
    summary?: string;
  };
  "rectify:started": StoryRef & { attempt: number; failingTests: number };
  "rectify:completed": StoryRef & { attempt: number; passed: boolean };
  "autofix:started": StoryRef & { attempt: number; problems: string };
  "autofix:completed": StoryRef & { attempt: number; passed: boolean; mechanical: boolean };
  "regression:detected": { storyIds: string[]; failingTests: string[]; mode: "per-story" | "deferred" };
  "human-review:requested": StoryRef & { reason: string };
  heartbeat: { storyId?: string; phase?: string };
  /** A log record that belongs in the run's event log (warnings, errors, notes from the Runner). */
  log: { level: LogLevel; message: string; storyId?: string; stage?: string; data?: Record<string, unknown> };
}

export type NaxEventType = keyof NaxEventMap;

export interface NaxEvent<T extends NaxEventType = NaxEventType> {
  type: T;
  runId: string;
  /** ISO time of emission. */
  at: string;
  /** Monotonic sequence number within the run. */
  seq: number;
  data: NaxEventMap[T];
}

export type AnyNaxEvent = { [K in NaxEventType]: NaxEvent<K> }[NaxEventType];
