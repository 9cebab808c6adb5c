import { describe, expect, test } from "bun:test";
import { createRateLimitGate } from "../../../src/pipeline/rate-limit-gate";
import { type Clock, createManualClock, createSystemClock } from "../../../src/system/clock";

/** A manual clock that records each sleep it was asked for. */
function recordingClock() {
  const manual = createManualClock();
  const asked: number[] = [];
  const clock: Clock = {
    now: manual.now,
    iso: manual.iso,
    async sleep(ms, signal) {
      asked.push(ms);
      await manual.sleep(ms, signal);
    },
  };
  return { clock, asked, manual };
}

describe("the run-wide rate-limit gate", () => {
  test("an unheld gate opens at once, without sleeping", async () => {
    const { clock, asked } = recordingClock();
    const gate = createRateLimitGate(clock);
    expect(gate.heldUntil()).toBeUndefined();
    await gate.open(new AbortController().signal);
    expect(asked).toEqual([]);
  });

  test("a held gate opens at the reset, and a later hold wins over an earlier one", async () => {
    const { clock, asked } = recordingClock();
    const gate = createRateLimitGate(clock);
    gate.holdUntil(clock.now() + 500);
    gate.holdUntil(clock.now() + 200);
    expect(gate.heldUntil()).toBe(clock.now() + 500);
    await gate.open(new AbortController().signal);
    expect(asked).toEqual([500]);
    expect(gate.heldUntil()).toBeUndefined();
  });

  test("a hold pushed further out while a lane waits makes it wait again for the new reset", async () => {
    const manual = createManualClock();
    const asked: number[] = [];
    let gate = createRateLimitGate(manual);
    const clock: Clock = {
      now: manual.now,
      iso: manual.iso,
      async sleep(ms) {
        asked.push(ms);
        manual.advance(ms);
        // Another lane is limited again during the first wait.
        if (asked.length === 1) gate.holdUntil(manual.now() + 300);
      },
    };
    gate = createRateLimitGate(clock);
    gate.holdUntil(clock.now() + 100);
    await gate.open(new AbortController().signal);
    expect(asked).toEqual([100, 300]);
  });

  test("an abort ends the wait at once", async () => {
    const clock = createSystemClock();
    const gate = createRateLimitGate(clock);
    gate.holdUntil(clock.now() + 60_000);
    const stop = new AbortController();
    const waiting = gate.open(stop.signal);
    stop.abort();
    const before = clock.now();
    await waiting;
    expect(clock.now() - before).toBeLessThan(1000);
    expect(gate.heldUntil()).toBeDefined();
  });
});
