/**
 * The run-wide rate-limit gate. A rate limit is the account's, not the
 * lane's: when one lane's session is limited, no lane may start a new
 * session until the reset. Every session start awaits `open()`; a limited
 * session `holdUntil`s the reset. Waiting is the clock's cancellable sleep
 * (no fixed sleeps), re-checked after each wake because another lane may
 * have pushed the reset further out meanwhile.
 */
import type { Clock } from "../system/clock";

export interface RateLimitGate {
  /** No new session starts before `atMs` (epoch ms); a later hold wins, an earlier one changes nothing. */
  holdUntil(atMs: number): void;
  /** When the gate is held: the reset time (epoch ms), else undefined. */
  heldUntil(): number | undefined;
  /** Resolves once the gate is open, or at once when `signal` aborts. */
  open(signal: AbortSignal): Promise<void>;
}

export function createRateLimitGate(clock: Clock): RateLimitGate {
  let until = 0;
  return {
    holdUntil(atMs) {
      until = Math.max(until, atMs);
    },
    heldUntil() {
      return until > clock.now() ? until : undefined;
    },
    async open(signal) {
      for (;;) {
        const left = until - clock.now();
        if (left <= 0 || signal.aborted) return;
        await clock.sleep(left, signal);
      }
    },
  };
}
