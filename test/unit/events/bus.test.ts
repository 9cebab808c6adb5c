import { describe, expect, test } from "bun:test";
import { createEventBus } from "../../../src/events/bus";
import type { AnyNaxEvent } from "../../../src/events/events";
import { SAMPLE_PAYLOADS } from "../../helpers/event-samples";

function makeBus() {
  const failures: string[] = [];
  const bus = createEventBus({
    runId: "run-1",
    now: () => "2026-03-07T05:30:00.000Z",
    onSubscriberError: (name, event, error) => failures.push(`${name}:${event.type}:${(error as Error).message}`),
  });
  return { bus, failures };
}

const heartbeat = {} as const;

describe("event bus", () => {
  test("delivers typed events with the run id, time and a rising sequence", async () => {
    const { bus } = makeBus();
    const seen: AnyNaxEvent[] = [];
    bus.onAny((e) => void seen.push(e), { name: "all" });
    bus.emit("heartbeat", heartbeat);
    bus.emit("log", { level: "info", message: "hi" });
    await bus.drain();
    expect(seen.map((e) => [e.type, e.runId, e.seq])).toEqual([
      ["heartbeat", "run-1", 1],
      ["log", "run-1", 2],
    ]);
  });

  test("a subscriber's queue is serial: a slow handler never interleaves with itself", async () => {
    const { bus } = makeBus();
    const order: string[] = [];
    bus.on(
      "log",
      async (e) => {
        order.push(`start ${e.data.message}`);
        await new Promise((r) => setTimeout(r, e.data.message === "a" ? 20 : 0));
        order.push(`end ${e.data.message}`);
      },
      { name: "slow" },
    );
    bus.emit("log", { level: "info", message: "a" });
    bus.emit("log", { level: "info", message: "b" });
    await bus.drain();
    expect(order).toEqual(["start a", "end a", "start b", "end b"]);
  });

  test("a failing subscriber is reported by name and never reaches the emitter or other subscribers", async () => {
    const { bus, failures } = makeBus();
    let delivered = 0;
    bus.onAny(
      () => {
        throw new Error("boom");
      },
      { name: "broken" },
    );
    bus.onAny(
      () => {
        delivered++;
      },
      { name: "fine" },
    );
    expect(() => bus.emit("heartbeat", heartbeat)).not.toThrow();
    await bus.drain();
    expect(failures).toEqual(["broken:heartbeat:boom"]);
    expect(delivered).toBe(1);
  });

  test("emitAsync waits for the subscribers of that event to finish (trap 2)", async () => {
    const { bus } = makeBus();
    let answered = false;
    bus.on(
      "interaction:asked",
      async () => {
        await new Promise((r) => setTimeout(r, 10));
        answered = true;
      },
      { name: "human" },
    );
    await bus.emitAsync("interaction:asked", SAMPLE_PAYLOADS["interaction:asked"]);
    expect(answered).toBe(true);
  });

  test("a concurrent subscriber handles a second event while the first is still waiting", async () => {
    const { bus } = makeBus();
    const release: Array<() => void> = [];
    const started: string[] = [];
    bus.on(
      "interaction:asked",
      async (e) => {
        started.push(e.data.questionId);
        await new Promise<void>((r) => release.push(r));
      },
      { name: "asker", concurrent: true },
    );
    const first = bus.emitAsync("interaction:asked", { ...SAMPLE_PAYLOADS["interaction:asked"], questionId: "q-1" });
    const second = bus.emitAsync("interaction:asked", { ...SAMPLE_PAYLOADS["interaction:asked"], questionId: "q-2" });
    await Promise.resolve();
    expect(started).toEqual(["q-1", "q-2"]);
    let drained = false;
    const draining = bus.drain().then(() => {
      drained = true;
    });
    release[1]?.();
    await second;
    expect(drained).toBe(false);
    release[0]?.();
    await Promise.all([first, draining]);
    expect(drained).toBe(true);
  });

  test("drain waits for events emitted by handlers while draining", async () => {
    const { bus } = makeBus();
    const seen: string[] = [];
    bus.on("heartbeat", () => void bus.emit("log", { level: "info", message: "chained" }), { name: "chain" });
    bus.on(
      "log",
      async (e) => {
        await new Promise((r) => setTimeout(r, 5));
        seen.push(e.data.message);
      },
      { name: "late" },
    );
    bus.emit("heartbeat", heartbeat);
    await bus.drain();
    expect(seen).toEqual(["chained"]);
  });

  test("a detached subscriber receives nothing more", async () => {
    const { bus } = makeBus();
    let count = 0;
    const detach = bus.onAny(
      () => {
        count++;
      },
      { name: "d" },
    );
    bus.emit("heartbeat", heartbeat);
    detach();
    bus.emit("heartbeat", heartbeat);
    await bus.drain();
    expect(count).toBe(1);
  });

  test("after run:crashed only log records are delivered: a crashed run's unwinding stages never reach the log", async () => {
    const { bus } = makeBus();
    const seen: string[] = [];
    bus.onAny((e) => void seen.push(`${e.type}#${e.seq}`), { name: "all" });
    bus.emit("run:crashed", { error: "boom" });
    bus.emit("stage:completed", { storyId: "US-001", stage: "context", action: "continue", durationMs: 1 });
    bus.emit("log", { level: "warn", message: "hook on-crash failed" });
    await bus.drain();
    expect(seen).toEqual(["run:crashed#1", "log#2"]);
  });

  test("drain can leave named subscribers running: a hanging hook does not hold up the state files", async () => {
    const { bus } = makeBus();
    let releaseHook: () => void = () => undefined;
    const hookDone = new Promise<void>((resolve) => {
      releaseHook = resolve;
    });
    let written = false;
    bus.onAny(() => hookDone, { name: "hooks" });
    bus.onAny(
      async () => {
        written = true;
      },
      { name: "status-file" },
    );
    bus.emit("heartbeat", heartbeat);
    await bus.drain({ except: ["hooks"] });
    expect(written).toBe(true);
    releaseHook();
    await bus.drain();
  });
});
