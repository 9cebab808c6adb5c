/** Shared pieces of the interaction tests: a bus that records every event, a logger that records lines, a held clock. */
import { createEventBus, type EventBus } from "../../../src/events/bus";
import type { AnyNaxEvent } from "../../../src/events/events";
import { createInteraction, type Interaction } from "../../../src/interaction/interaction";
import type { Channel } from "../../../src/interaction/question";
import { createLogger, type Logger } from "../../../src/logger/logger";
import { type Clock, cancellableSleep } from "../../../src/system/clock";

export function recordingBus(): { bus: EventBus; events: AnyNaxEvent[]; failures: string[] } {
  const events: AnyNaxEvent[] = [];
  const failures: string[] = [];
  const bus = createEventBus({
    runId: "run-1",
    now: () => new Date().toISOString(),
    onSubscriberError: (name, _event, error) => failures.push(`${name}: ${String(error)}`),
  });
  bus.onAny((event) => void events.push(event), { name: "recorder" });
  return { bus, events, failures };
}

export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger(() => "t", [(r) => void lines.push(`${r.level}: ${r.message}`)]), lines };
}

/** A clock whose sleeps of `heldMs` or more wait until `expire()` (a question's timeout); shorter ones are real. */
export function heldClock(heldMs = 1000): Clock & { expire(): void } {
  const waiting = new Set<() => void>();
  return {
    now: () => Date.now(),
    iso: () => new Date().toISOString(),
    sleep(ms, signal) {
      if (ms < heldMs) return cancellableSleep(ms, signal);
      return new Promise<void>((resolve) => {
        const done = () => {
          waiting.delete(done);
          resolve();
        };
        waiting.add(done);
        signal?.addEventListener("abort", done, { once: true });
      });
    },
    expire() {
      for (const done of [...waiting]) done();
    },
  };
}

let next = 0;
export const uuid = () => `${(++next).toString(16).padStart(8, "0")}-0000-0000-0000-000000000000`;

export function interactionWith(
  channels: Channel[],
  options: { clock?: Clock; signal?: AbortSignal; timeoutSeconds?: number } = {},
): { interaction: Interaction; events: AnyNaxEvent[]; lines: string[]; bus: EventBus } {
  const { bus, events } = recordingBus();
  const { logger, lines } = recordingLogger();
  const interaction = createInteraction({
    bus,
    clock: options.clock ?? heldClock(),
    logger,
    uuid,
    runId: "run-1",
    feature: "demo",
    timeoutSeconds: options.timeoutSeconds ?? 600,
    channels,
    signal: options.signal ?? new AbortController().signal,
  });
  return { interaction, events, lines, bus };
}
