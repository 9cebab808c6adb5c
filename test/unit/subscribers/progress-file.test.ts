import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { attachProgressFile } from "../../../src/subscribers/progress-file";
import { createNodeFs } from "../../../src/system/fs";
import { createTempDir, createTestBus, runStarted, storyStarted } from "./fixtures";

const fs = createNodeFs();

describe("attachProgressFile", () => {
  test("appends one human line per story outcome and nothing for other events", async () => {
    await using tmp = await createTempDir();
    const { bus, clock } = createTestBus();
    const path = join(tmp.dir, "progress.txt");
    attachProgressFile(bus, { fs, path });

    bus.emit("run:started", runStarted());
    bus.emit("story:started", { ...storyStarted("US-001"), title: "Add login" });
    bus.emit("stage:started", { storyId: "US-001", stage: "verify" });
    clock.advance(60_000);
    bus.emit("story:completed", { storyId: "US-001", attempts: 1, costUsd: 0.0123, durationMs: 60_000 });

    bus.emit("story:started", { ...storyStarted("US-002"), title: "Add logout", tier: "powerful", attempt: 3 });
    for (const costUsd of [0.5, 0.25]) {
      bus.emit("agent:session-completed", {
        storyId: "US-002",
        purpose: "implement",
        outcome: "success",
        costUsd,
        inputTokens: 1,
        outputTokens: 1,
        durationMs: 1,
        numTurns: 1,
      });
    }
    bus.emit("story:failed", { storyId: "US-002", attempts: 3, reason: "tiers exhausted" });
    bus.emit("story:started", { ...storyStarted("US-003"), title: "Delete account" });
    bus.emit("story:paused", { storyId: "US-003", reason: "needs a human decision" });
    await bus.drain();

    expect(((await fs.readText(path)) ?? "").split("\n")).toEqual([
      "2026-03-07T05:31:00Z US-001 passed (attempt 1, fast, $0.01) — Add login",
      "2026-03-07T05:31:00Z US-002 failed (attempt 3, powerful, $0.75) — Add logout: tiers exhausted",
      "2026-03-07T05:31:00Z US-003 paused (attempt 1, fast, $0.00) — Delete account: needs a human decision",
      "",
    ]);
  });

  test("a story that cost less than a cent shows its cost, not $0.00", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    const path = join(tmp.dir, "progress.txt");
    attachProgressFile(bus, { fs, path });
    bus.emit("story:started", { ...storyStarted("US-001"), title: "Add login" });
    bus.emit("story:completed", { storyId: "US-001", attempts: 1, costUsd: 0.0003, durationMs: 1 });
    await bus.drain();
    expect(await fs.readText(path)).toBe("2026-03-07T05:30:00Z US-001 passed (attempt 1, fast, $0.0003) — Add login\n");
  });

  test("a run with no story outcome leaves no file", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    const path = join(tmp.dir, "progress.txt");
    attachProgressFile(bus, { fs, path });
    bus.emit("run:started", runStarted());
    bus.emit("story:started", storyStarted());
    await bus.drain();
    expect(await fs.exists(path)).toBe(false);
  });
});
