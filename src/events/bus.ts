/**
 * The one event bus. Each subscriber has its own serial queue, so its writes
 * never interleave and a slow one never blocks another; a subscriber's failure
 * is reported with its name and never reaches the emitter. `emit` never
 * throws; `emitAsync` waits for every subscriber of that event (a human
 * answering, trap 2); a `concurrent` subscriber handles each event at once; `drain` waits for every queue (the Runner's `finally`).
 * A run's terminal event (`run:completed` / `run:crashed`) is its last story
 * event: after it only `log` records are still delivered (a hook failing while
 * the run shuts down), so a log never shows stages going on after a crash.
 */
import type { AnyNaxEvent, NaxEvent, NaxEventMap, NaxEventType } from "./events";

export type Handler<T extends NaxEventType> = (event: NaxEvent<T>) => void | Promise<void>;
export type AnyHandler = (event: AnyNaxEvent) => void | Promise<void>;
export type Detach = () => void;

export interface SubscriberOptions {
  /** Shown when the subscriber fails. */
  name: string;
  /**
   * Each event handled at once instead of after the previous one: a handler that waits for a person
   * (interaction/) must not make a second lane's question wait behind the first's answer.
   */
  concurrent?: boolean;
}

export interface EventBus {
  readonly runId: string;
  on<T extends NaxEventType>(type: T, handler: Handler<T>, options: SubscriberOptions): Detach;
  onAny(handler: AnyHandler, options: SubscriberOptions): Detach;
  emit<T extends NaxEventType>(type: T, data: NaxEventMap[T]): AnyNaxEvent;
  emitAsync<T extends NaxEventType>(type: T, data: NaxEventMap[T]): Promise<void>;
  /** Waits for every subscriber's queue, or every one but the subscribers named in `except`. */
  drain(options?: { except?: readonly string[] }): Promise<void>;
}

interface Subscriber {
  name: string;
  accepts(type: NaxEventType): boolean;
  handle: AnyHandler;
  queue: Promise<void>;
  concurrent: boolean;
}

export interface BusOptions {
  runId: string;
  now: () => string;
  /** Where subscriber failures go; must not throw. */
  onSubscriberError: (name: string, event: AnyNaxEvent, error: unknown) => void;
}

export function createEventBus(options: BusOptions): EventBus {
  const subscribers = new Set<Subscriber>();
  let seq = 0;

  const attach = (subscriber: Subscriber): Detach => {
    subscribers.add(subscriber);
    return () => subscribers.delete(subscriber);
  };

  const deliver = (subscriber: Subscriber, event: AnyNaxEvent): Promise<void> => {
    const handle = async () => {
      try {
        await subscriber.handle(event);
      } catch (error) {
        options.onSubscriberError(subscriber.name, event, error);
      }
    };
    // A concurrent subscriber's queue is every delivery still running, so `drain` still waits for them all.
    const run = subscriber.concurrent ? handle() : subscriber.queue.then(handle);
    subscriber.queue = subscriber.concurrent ? Promise.all([subscriber.queue, run]).then(() => undefined) : run;
    return run;
  };

  let ended = false;

  const dispatch = <T extends NaxEventType>(type: T, data: NaxEventMap[T]) => {
    const event = { type, runId: options.runId, at: options.now(), seq: seq + 1, data } as AnyNaxEvent;
    const deliveries: Promise<void>[] = [];
    // Work still unwinding after the run was declared over (a fatal error's pipeline) is not part of the run.
    if (ended && type !== "log") return { event, deliveries };
    seq += 1;
    if (type === "run:completed" || type === "run:crashed") ended = true;
    for (const subscriber of subscribers) {
      if (subscriber.accepts(type)) deliveries.push(deliver(subscriber, event));
    }
    return { event, deliveries };
  };

  return {
    runId: options.runId,
    on(type, handler, opts) {
      return attach({
        name: opts.name,
        accepts: (t) => t === type,
        handle: handler as AnyHandler,
        queue: Promise.resolve(),
        concurrent: opts.concurrent === true,
      });
    },
    onAny(handler, opts) {
      return attach({
        name: opts.name,
        accepts: () => true,
        handle: handler,
        queue: Promise.resolve(),
        concurrent: opts.concurrent === true,
      });
    },
    emit(type, data) {
      return dispatch(type, data).event;
    },
    async emitAsync(type, data) {
      await Promise.all(dispatch(type, data).deliveries);
    },
    async drain(drainOptions) {
      const skipped = new Set(drainOptions?.except ?? []);
      // Handlers may emit while we wait; loop until no queue grew during the wait.
      for (;;) {
        const waited = [...subscribers].filter((s) => !skipped.has(s.name));
        const seen = new Map(waited.map((s) => [s, s.queue]));
        await Promise.all(seen.values());
        if (waited.every((s) => seen.get(s) === s.queue)) return;
      }
    },
  };
}
