/** Shared fixtures for the subscriber tests: a real bus on a manual clock, temp dirs, a hand-fired ticker. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEventBus, type EventBus } from "../../../src/events/bus";
import type { AnyNaxEvent, NaxEventMap, NaxEventType } from "../../../src/events/events";
import type { StoryCounts } from "../../../src/prd/counts";
import type { StatusRunInfo } from "../../../src/subscribers/status-reducer";
import type { Ticker } from "../../../src/subscribers/ticker";
import { createManualClock } from "../../../src/system/clock";

export const RUN_ID = "run-2026-03-07T05-30-00-000Z";
export const START = "2026-03-07T05:30:00.000Z";

export function counts(partial: Partial<StoryCounts> = {}): StoryCounts {
  return { total: 3, passed: 0, failed: 0, paused: 0, blocked: 0, skipped: 0, pending: 3, ...partial };
}

export const runInfo: StatusRunInfo = {
  runId: RUN_ID,
  feature: "auth",
  startedAt: START,
  pid: 4242,
  hostname: "test-host",
  dryRun: false,
  costLimit: 5,
  counts: counts(),
};

export function runStarted(overrides: Partial<NaxEventMap["run:started"]> = {}): NaxEventMap["run:started"] {
  return {
    feature: "auth",
    project: "demo",
    workdir: "/tmp/demo",
    pid: 4242,
    hostname: "test-host",
    dryRun: false,
    costLimit: 5,
    counts: counts(),
    ...overrides,
  };
}

export function storyStarted(storyId = "US-001", attempt = 1): NaxEventMap["story:started"] {
  return {
    storyId,
    title: `Title of ${storyId}`,
    attempt,
    tier: "fast",
    model: "haiku",
    complexity: "simple",
    testStrategy: "test-after",
  };
}

export function createTestBus() {
  const clock = createManualClock(Date.parse(START));
  const subscriberErrors: { name: string; error: unknown }[] = [];
  const bus: EventBus = createEventBus({
    runId: RUN_ID,
    now: () => clock.iso(),
    onSubscriberError: (name, _event, error) => subscriberErrors.push({ name, error }),
  });
  return { bus, clock, subscriberErrors };
}

/** A bare event for the pure reducers, as the bus would wrap it. */
export function event<T extends NaxEventType>(type: T, data: NaxEventMap[T], at = START, seq = 1): AnyNaxEvent {
  return { type, data, at, seq, runId: RUN_ID } as AnyNaxEvent;
}

export async function createTempDir(): Promise<{ dir: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "nax-subscribers-"));
  return { dir, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

/** A ticker whose ticks the test fires; `active` counts timers not yet cleared. */
export function createManualTicker() {
  const timers = new Set<{ intervalMs: number; onTick: () => void }>();
  const ticker: Ticker = (intervalMs, onTick) => {
    const timer = { intervalMs, onTick };
    timers.add(timer);
    return () => timers.delete(timer);
  };
  return {
    ticker,
    active: () => timers.size,
    intervals: () => [...timers].map((t) => t.intervalMs),
    fire: () => {
      for (const timer of [...timers]) timer.onTick();
    },
  };
}

/** Polls `check` until it returns a value, or fails after `timeoutMs`; for work finished by real timers. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs}ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
