/**
 * Time, injectable. `sleep` is cancellable and clears its timer, so no timer
 * outlives the work it guards (trap 9, docs/traps.md).
 */

export interface Clock {
  now(): number;
  iso(): string;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function cancellableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) {
      resolve();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    iso: () => new Date().toISOString(),
    sleep: cancellableSleep,
  };
}

/** A clock for tests: time moves only when told; sleeps resolve at once and advance it. */
export function createManualClock(
  start = Date.parse("2026-03-07T05:30:00.000Z"),
): Clock & { advance(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    iso: () => new Date(current).toISOString(),
    async sleep(ms) {
      current += Math.max(0, ms);
    },
    advance(ms) {
      current += ms;
    },
  };
}
