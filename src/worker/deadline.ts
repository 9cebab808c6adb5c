/**
 * The job's deadline as a wait: a timer cannot hold more than 2^31-1 ms
 * (about 24.8 days; a longer one fires at once), so a far deadline is waited
 * for in steps a timer can hold. Cancellable, so no timer outlives the worker.
 */
import { MAX_TIMER_MS } from "../config/schema";
import type { Clock } from "../system/clock";

/** True once `atMs` is reached; false when `signal` stopped the wait first. */
export async function waitForDeadline(clock: Clock, atMs: number, signal: AbortSignal): Promise<boolean> {
  for (;;) {
    if (signal.aborted) return false;
    const left = atMs - clock.now();
    if (left <= 0) return true;
    await clock.sleep(Math.min(left, MAX_TIMER_MS), signal);
  }
}
