import { describe, expect, test } from "bun:test";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { createMemoryLogger } from "../../../src/logger/logger";
import { StatusFileSchema } from "../../../src/state/status-file";
import { attachStatusFile } from "../../../src/subscribers/status-file";
import { createNodeFs, type Fs } from "../../../src/system/fs";
import {
  counts,
  createManualTicker,
  createTempDir,
  createTestBus,
  RUN_ID,
  runInfo,
  runStarted,
  storyStarted,
  waitFor,
} from "./fixtures";

const fs = createNodeFs();

async function readStatus(path: string) {
  const text = await fs.readText(path);
  return text === undefined ? undefined : StatusFileSchema.parse(JSON.parse(text));
}

const completed = (passed: number) => ({
  status: "completed" as const,
  counts: counts({ passed, pending: 3 - passed }),
  costSpent: 0.3,
  iterations: 3,
  durationMs: 1000,
});

describe("attachStatusFile", () => {
  test("writes nothing before run:started, so a run refused the lock leaves the file alone (trap 24)", async () => {
    await using tmp = await createTempDir();
    const { bus, clock } = createTestBus();
    const path = join(tmp.dir, "nax", "status.json");
    const manual = createManualTicker();
    const detach = attachStatusFile(bus, {
      fs,
      clock,
      path,
      runInfo,
      logger: createMemoryLogger(),
      ticker: manual.ticker,
    });
    bus.emit("log", { level: "error", message: "another nax run holds the lock" });
    await bus.drain();
    expect(await fs.exists(path)).toBe(false);
    expect(manual.active()).toBe(0);
    detach();
  });

  test("goes from running to completed with the run id and the real counts", async () => {
    await using tmp = await createTempDir();
    const { bus, clock } = createTestBus();
    const path = join(tmp.dir, "nax", "status.json");
    const manual = createManualTicker();
    const detach = attachStatusFile(bus, {
      fs,
      clock,
      path,
      runInfo,
      logger: createMemoryLogger(),
      ticker: manual.ticker,
    });

    bus.emit("run:started", runStarted());
    bus.emit("story:started", storyStarted());
    await bus.drain();
    const running = await readStatus(path);
    expect(running?.run).toMatchObject({ id: RUN_ID, status: "running" });
    expect(running?.current?.storyId).toBe("US-001");

    clock.advance(1000);
    bus.emit("run:completed", completed(3));
    await bus.drain();
    const done = await readStatus(path);
    expect(done?.run).toMatchObject({ id: RUN_ID, status: "completed" });
    expect(done?.progress).toMatchObject({ total: 3, passed: 3, pending: 0 });
    expect(done?.current).toBeNull();
    detach();
  });

  test("stays valid JSON under many quick events and ends with the latest state, leaving no temp files", async () => {
    await using tmp = await createTempDir();
    const { bus, clock } = createTestBus();
    const path = join(tmp.dir, "status.json");
    const manual = createManualTicker();
    const detach = attachStatusFile(bus, {
      fs,
      clock,
      path,
      runInfo,
      logger: createMemoryLogger(),
      ticker: manual.ticker,
    });
    bus.emit("run:started", runStarted());
    await bus.drain();

    let reads = 0;
    let stop = false;
    const reader = (async () => {
      while (!stop) {
        const text = await fs.readText(path);
        // A torn or half-written file would throw here.
        if (text !== undefined) StatusFileSchema.parse(JSON.parse(text));
        reads++;
      }
    })();
    for (let i = 1; i <= 150; i++) {
      bus.emit("story:started", storyStarted(`US-${i}`));
      if (i % 10 === 0) manual.fire();
    }
    await bus.drain();
    stop = true;
    await reader;

    const last = await readStatus(path);
    expect(last?.iterations).toBe(150);
    expect(last?.current?.storyId).toBe("US-150");
    expect(reads).toBeGreaterThan(0);
    expect((await readdir(tmp.dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    detach();
  });

  test("never has two writes in flight, even when heartbeat ticks race with events", async () => {
    const inner = createNodeFs();
    let inFlight = 0;
    let maxInFlight = 0;
    const slowFs: Fs = {
      ...inner,
      async writeAtomic(path, content) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        await inner.writeAtomic(path, content);
        inFlight--;
      },
    };
    await using tmp = await createTempDir();
    const { bus, clock } = createTestBus();
    const path = join(tmp.dir, "status.json");
    const manual = createManualTicker();
    const detach = attachStatusFile(bus, {
      fs: slowFs,
      clock,
      path,
      runInfo,
      logger: createMemoryLogger(),
      ticker: manual.ticker,
    });
    bus.emit("run:started", runStarted());
    for (let i = 0; i < 20; i++) {
      clock.advance(1000);
      manual.fire();
      bus.emit("heartbeat", {});
      manual.fire();
    }
    await bus.drain();
    await waitFor(async () => (inFlight === 0 ? true : undefined));
    expect(maxInFlight).toBe(1);
    expect((await readStatus(path))?.lastHeartbeat).toBe(clock.iso());
    detach();
  });

  test("the heartbeat timer refreshes lastHeartbeat while the run lives", async () => {
    await using tmp = await createTempDir();
    const { bus, clock } = createTestBus();
    const path = join(tmp.dir, "status.json");
    const detach = attachStatusFile(bus, { fs, clock, path, runInfo, logger: createMemoryLogger(), heartbeatMs: 5 });
    bus.emit("run:started", runStarted());
    await bus.drain();
    clock.advance(10_000);
    const expected = clock.iso();
    const status = await waitFor(async () => {
      const current = await readStatus(path);
      return current?.lastHeartbeat === expected ? current : undefined;
    });
    expect(status.run.status).toBe("running");
    detach();
  });

  test("the heartbeat timer starts with the run and stops at run:completed", async () => {
    await using tmp = await createTempDir();
    const { bus, clock } = createTestBus();
    const path = join(tmp.dir, "status.json");
    const manual = createManualTicker();
    const detach = attachStatusFile(bus, {
      fs,
      clock,
      path,
      runInfo,
      logger: createMemoryLogger(),
      ticker: manual.ticker,
    });
    expect(manual.active()).toBe(0);
    bus.emit("run:started", runStarted());
    await bus.drain();
    expect(manual.intervals()).toEqual([10_000]);

    bus.emit("run:completed", completed(3));
    await bus.drain();
    expect(manual.active()).toBe(0);
    const final = await fs.readText(path);
    clock.advance(60_000);
    manual.fire();
    await bus.drain();
    expect(await fs.readText(path)).toBe(final);
    detach();
  });

  test("detaching stops the heartbeat timer", async () => {
    await using tmp = await createTempDir();
    const { bus, clock } = createTestBus();
    const manual = createManualTicker();
    const path = join(tmp.dir, "status.json");
    const detach = attachStatusFile(bus, {
      fs,
      clock,
      path,
      runInfo,
      logger: createMemoryLogger(),
      ticker: manual.ticker,
    });
    bus.emit("run:started", runStarted());
    await bus.drain();
    expect(manual.active()).toBe(1);
    detach();
    expect(manual.active()).toBe(0);
  });

  test("a failing write warns once, never throws into the run, and the next event writes the latest state", async () => {
    await using tmp = await createTempDir();
    const inner = createNodeFs();
    let failing = true;
    const flakyFs: Fs = {
      ...inner,
      async writeAtomic(path, content) {
        if (failing) throw Object.assign(new Error("EROFS: read-only file system"), { code: "EROFS" });
        await inner.writeAtomic(path, content);
      },
    };
    const { bus, clock, subscriberErrors } = createTestBus();
    const logger = createMemoryLogger();
    const path = join(tmp.dir, "status.json");
    const manual = createManualTicker();
    const detach = attachStatusFile(bus, { fs: flakyFs, clock, path, runInfo, logger, ticker: manual.ticker });

    bus.emit("run:started", runStarted());
    bus.emit("story:started", storyStarted("US-001"));
    await bus.drain();
    const warnings = logger.records.filter((r) => r.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain("EROFS");
    expect(warnings[0]?.message).toContain(path);
    expect(subscriberErrors).toEqual([]);
    expect(await fs.exists(path)).toBe(false);

    failing = false;
    bus.emit("story:started", storyStarted("US-002"));
    await bus.drain();
    const status = await readStatus(path);
    expect(status?.current?.storyId).toBe("US-002");
    expect(status?.iterations).toBe(2);
    expect(logger.records.some((r) => r.level === "info" && r.message.includes("writable again"))).toBe(true);
    detach();
  });
});
