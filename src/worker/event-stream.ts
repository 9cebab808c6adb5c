/**
 * What `nax worker` writes to stdout while it works: every bus event as one
 * line of the run's event envelope (numbered by the bus's `seq`, redacted
 * like the event log), and a `worker:heartbeat` every `heartbeatSeconds`, so
 * an executor tells a busy worker from a hung one without parsing payloads.
 */
import type { Detach, EventBus } from "../events/bus";
import type { Budget } from "../pipeline/budget";
import { envelopeLine } from "../subscribers/envelope";
import type { Clock } from "../system/clock";
import type { Redactor } from "../system/secrets";

export const WORKER_STDOUT_SUBSCRIBER = "worker-stdout";

export function attachEventStream(bus: EventBus, write: (text: string) => void, redactor: Redactor): Detach {
  return bus.onAny((event) => write(redactor.text(envelopeLine(event))), { name: WORKER_STDOUT_SUBSCRIBER });
}

export interface Heartbeat {
  /** Stops the beat; resolves once its loop has ended (no timer outlives the worker, trap 9). */
  stop(): Promise<void>;
}

export function startHeartbeat(deps: {
  bus: Pick<EventBus, "emit">;
  clock: Clock;
  budget: Pick<Budget, "spent">;
  storyId: string;
  intervalMs: number;
}): Heartbeat {
  const stopper = new AbortController();
  const started = deps.clock.now();
  const loop = (async () => {
    for (;;) {
      await deps.clock.sleep(deps.intervalMs, stopper.signal);
      if (stopper.signal.aborted) return;
      deps.bus.emit("worker:heartbeat", {
        storyId: deps.storyId,
        elapsedMs: Math.max(0, Math.round(deps.clock.now() - started)),
        costUsd: deps.budget.spent(),
      });
    }
  })();
  return {
    stop() {
      stopper.abort();
      return loop;
    },
  };
}
