/**
 * One gate in front of every new agent session: the run-wide rate-limit gate
 * (pipeline/rate-limit-gate.ts) and the pause of `nax pause`. The pipeline
 * keeps seeing a RateLimitGate, so pausing needs no new stage or port.
 */
import type { RateLimitGate } from "../pipeline/rate-limit-gate";
import type { RunControl } from "./run-control";

export function pausableGate(rateLimit: RateLimitGate, control: Pick<RunControl, "open" | "paused">): RateLimitGate {
  return {
    holdUntil: (atMs) => rateLimit.holdUntil(atMs),
    heldUntil: () => rateLimit.heldUntil(),
    async open(signal) {
      // A pause may begin while the session waited out a rate limit: both are checked again after each wait.
      for (;;) {
        await control.open(signal);
        await rateLimit.open(signal);
        if (!control.paused() || signal.aborted) return;
      }
    },
  };
}
