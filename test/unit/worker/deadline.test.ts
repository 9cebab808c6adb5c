import { describe, expect, test } from "bun:test";
import { MAX_TIMER_MS } from "../../../src/config/schema";
import { createManualClock } from "../../../src/system/clock";
import { waitForDeadline } from "../../../src/worker/deadline";

describe("the worker's deadline", () => {
  test("a deadline further away than a timer can hold is waited for in steps, never fired at once", async () => {
    const clock = createManualClock();
    const slept: number[] = [];
    const recording = {
      ...clock,
      sleep: async (ms: number) => {
        slept.push(ms);
        clock.advance(ms);
      },
    };
    const at = clock.now() + 30 * 24 * 3600 * 1000;
    expect(await waitForDeadline(recording, at, new AbortController().signal)).toBe(true);
    expect(clock.now()).toBe(at);
    expect(slept.length).toBe(2);
    expect(Math.max(...slept)).toBeLessThanOrEqual(MAX_TIMER_MS);
  });

  test("a deadline already passed is reached at once; a stopped wait is not reached", async () => {
    const clock = createManualClock();
    expect(await waitForDeadline(clock, clock.now() - 1, new AbortController().signal)).toBe(true);
    const stopper = new AbortController();
    stopper.abort();
    expect(await waitForDeadline(clock, clock.now() + 1000, stopper.signal)).toBe(false);
  });
});
