import { describe, expect, test } from "bun:test";
import { createEventBus } from "../../../src/events/bus";
import { EventEnvelopeSchema } from "../../../src/events/envelope";
import type { Clock } from "../../../src/system/clock";
import { createRedactor } from "../../../src/system/secrets";
import { attachEventStream, startHeartbeat } from "../../../src/worker/event-stream";
import { workerEnv } from "../../../src/worker/services";

/** A clock whose sleeps wait until the test lets one end; time moves by what each sleep asked for. */
function steppedClock() {
  let now = 0;
  const waiting: { ms: number; resolve: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    iso: () => new Date(now).toISOString(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        signal?.addEventListener("abort", () => resolve(), { once: true });
        waiting.push({ ms, resolve });
      }),
  };
  const tick = async () => {
    const next = waiting.shift();
    if (!next) throw new Error("nothing is sleeping");
    now += next.ms;
    next.resolve();
    // The beat's loop resumes in a microtask and goes back to sleep: wait for that, boundedly.
    for (let turn = 0; turn < 20 && waiting.length === 0; turn++) await Promise.resolve();
  };
  return { clock, tick };
}

describe("the worker's stdout stream", () => {
  test("every event is one numbered envelope line, a heartbeat comes each interval, and stopping ends the beat", async () => {
    const { clock, tick } = steppedClock();
    const bus = createEventBus({ runId: "run-1", now: () => clock.iso(), onSubscriberError: () => undefined });
    const lines: string[] = [];
    attachEventStream(bus, (text) => void lines.push(text), createRedactor({ API_TOKEN: "tok-123456789" }));
    const heartbeat = startHeartbeat({
      bus,
      clock,
      budget: { spent: () => 0.25 },
      storyId: "US-001",
      intervalMs: 5000,
    });
    bus.emit("log", { level: "info", message: "using tok-123456789" });
    await tick();
    await tick();
    await heartbeat.stop();
    await bus.drain();
    const events = lines.map((line) => EventEnvelopeSchema.parse(JSON.parse(line)));
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, "log"],
      [2, "worker:heartbeat"],
      [3, "worker:heartbeat"],
    ]);
    expect(events[2]?.data).toEqual({ storyId: "US-001", elapsedMs: 10_000, costUsd: 0.25 });
    expect(lines.join("")).not.toContain("tok-123456789");
  });
});

describe("the worker's environment", () => {
  test("keeps the secrets the job names and every non-secret variable, and drops every other secret", () => {
    const env = { PATH: "/bin", ANTHROPIC_API_KEY: "k1", GITHUB_TOKEN: "k2", MY_SECRET: "k3" };
    expect(workerEnv(env, ["ANTHROPIC_API_KEY"], ["MY_SECRET"])).toEqual({ PATH: "/bin", ANTHROPIC_API_KEY: "k1" });
  });
});
