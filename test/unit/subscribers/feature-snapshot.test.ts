import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { createMemoryLogger } from "../../../src/logger/logger";
import { StatusFileSchema } from "../../../src/state/status-file";
import { attachFeatureSnapshot } from "../../../src/subscribers/feature-snapshot";
import { createNodeFs } from "../../../src/system/fs";
import { counts, createTempDir, createTestBus, RUN_ID, runInfo, runStarted, storyStarted } from "./fixtures";

const fs = createNodeFs();

describe("attachFeatureSnapshot", () => {
  test("appears only when the run completes, holding the whole run", async () => {
    await using tmp = await createTempDir();
    const { bus, clock } = createTestBus();
    const path = join(tmp.dir, "nax", "features", "auth", "status.json");
    attachFeatureSnapshot(bus, { fs, path, runInfo, logger: createMemoryLogger() });

    bus.emit("run:started", runStarted());
    bus.emit("story:started", storyStarted());
    bus.emit("heartbeat", {});
    bus.emit("story:completed", { storyId: "US-001", attempts: 1, costUsd: 0.2, durationMs: 10 });
    await bus.drain();
    expect(await fs.exists(path)).toBe(false);

    clock.advance(5000);
    bus.emit("run:completed", {
      status: "stalled",
      exitReason: "nothing runnable",
      counts: counts({ passed: 1, blocked: 2, pending: 0 }),
      costSpent: 0.2,
      iterations: 1,
      durationMs: 5000,
    });
    await bus.drain();
    const snapshot = StatusFileSchema.parse(JSON.parse((await fs.readText(path)) ?? ""));
    expect(snapshot.run).toMatchObject({ id: RUN_ID, status: "stalled", exitReason: "nothing runnable" });
    expect(snapshot.iterations).toBe(1);
    expect(snapshot.durationMs).toBe(5000);
  });

  test("is written when the run crashes, with the crash signal", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    const path = join(tmp.dir, "status.json");
    attachFeatureSnapshot(bus, { fs, path, runInfo, logger: createMemoryLogger() });
    bus.emit("run:started", runStarted());
    bus.emit("story:started", storyStarted("US-002"));
    bus.emit("run:crashed", { signal: "SIGINT" });
    await bus.drain();
    const snapshot = StatusFileSchema.parse(JSON.parse((await fs.readText(path)) ?? ""));
    expect(snapshot.run).toMatchObject({ status: "crashed", crashSignal: "SIGINT" });
    expect(snapshot.current?.storyId).toBe("US-002");
  });

  test("a crash signal after the run completed does not overwrite the completed snapshot", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    const path = join(tmp.dir, "status.json");
    attachFeatureSnapshot(bus, { fs, path, runInfo, logger: createMemoryLogger() });
    bus.emit("run:started", runStarted());
    bus.emit("run:completed", {
      status: "completed",
      counts: counts({ passed: 3, pending: 0 }),
      costSpent: 1,
      iterations: 3,
      durationMs: 10,
    });
    bus.emit("run:crashed", { signal: "SIGTERM" });
    await bus.drain();
    const snapshot = StatusFileSchema.parse(JSON.parse((await fs.readText(path)) ?? ""));
    expect(snapshot.run.status).toBe("completed");
  });
});
