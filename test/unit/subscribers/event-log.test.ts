import { describe, expect, test } from "bun:test";
import { basename, join } from "node:path";
import { createMemoryLogger } from "../../../src/logger/logger";
import { EventLineSchema } from "../../../src/state/event-line";
import { featurePaths } from "../../../src/state/paths";
import { attachEventLog } from "../../../src/subscribers/event-log";
import { createNodeFs, type Fs } from "../../../src/system/fs";
import { counts, createTempDir, createTestBus, RUN_ID, runStarted, storyStarted } from "./fixtures";

const fs = createNodeFs();

async function readLines(path: string) {
  const text = (await fs.readText(path)) ?? "";
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => EventLineSchema.parse(JSON.parse(line)));
}

describe("attachEventLog", () => {
  test("each event becomes exactly one line, in order, in a file named by the run id (trap 17)", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    const path = featurePaths(tmp.dir, "auth").runLog(bus.runId);
    attachEventLog(bus, { fs, path, logger: createMemoryLogger() });

    bus.emit("run:started", runStarted());
    bus.emit("story:started", storyStarted());
    bus.emit("stage:started", { storyId: "US-001", stage: "agent" });
    bus.emit("story:completed", { storyId: "US-001", attempts: 2, costUsd: 0.0123, durationMs: 50 });
    bus.emit("log", { level: "warn", message: "lint skipped", stage: "review", data: { reason: "no command" } });
    bus.emit("run:completed", {
      status: "completed",
      counts: counts({ passed: 3, pending: 0 }),
      costSpent: 1,
      iterations: 1,
      durationMs: 9,
    });
    await bus.drain();

    expect(basename(path)).toBe(`${RUN_ID}.jsonl`);
    const lines = await readLines(path);
    expect(lines.map((l) => l.type)).toEqual([
      "run:started",
      "story:started",
      "stage:started",
      "story:completed",
      "log",
      "run:completed",
    ]);
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(lines.map((l) => l.runId))).toEqual(new Set([RUN_ID]));
    expect(lines[3]).toMatchObject({
      level: "info",
      message: "US-001 passed in 2 attempts (50ms, $0.01)",
      storyId: "US-001",
    });
    expect(lines[3]?.data).toMatchObject({ attempts: 2, costUsd: 0.0123 });
    expect(lines[2]).toMatchObject({ level: "debug", stage: "agent" });
    expect(lines[4]).toMatchObject({
      level: "warn",
      message: "lint skipped",
      stage: "review",
      data: { data: { reason: "no command" } },
    });
  });

  test("secret-looking keys in a payload never reach the file", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    const path = join(tmp.dir, "run.jsonl");
    attachEventLog(bus, { fs, path, logger: createMemoryLogger() });
    bus.emit("log", {
      level: "info",
      message: "agent started",
      data: { env: { ANTHROPIC_API_KEY: "sk-ant-secret" }, nested: { apiKey: "sk-ant-other", model: "haiku" } },
    });
    await bus.drain();
    const text = (await fs.readText(path)) ?? "";
    expect(text).not.toContain("sk-ant");
    expect((await readLines(path))[0]?.data).toMatchObject({
      data: { env: "[redacted]", nested: { apiKey: "[redacted]", model: "haiku" } },
    });
  });

  test("token counts are figures, not credentials, and are kept", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    const path = join(tmp.dir, "run.jsonl");
    attachEventLog(bus, { fs, path, logger: createMemoryLogger() });
    bus.emit("agent:session-completed", {
      storyId: "US-001",
      purpose: "implement",
      outcome: "success",
      costUsd: 0.01,
      inputTokens: 1200,
      outputTokens: 340,
      durationMs: 10,
      numTurns: 2,
    });
    bus.emit("log", { level: "info", message: "auth", data: { sessionToken: "abc", authToken: "def" } });
    await bus.drain();
    const [session, log] = await readLines(path);
    expect(session?.data).toMatchObject({ inputTokens: 1200, outputTokens: 340 });
    expect(log?.data).toMatchObject({ data: { sessionToken: "[redacted]", authToken: "[redacted]" } });
  });

  test("lines that could not be written are kept and appended with the next event, and the failure warns once", async () => {
    await using tmp = await createTempDir();
    const inner = createNodeFs();
    let failing = true;
    const flakyFs: Fs = {
      ...inner,
      async appendText(path, content) {
        if (failing) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        await inner.appendText(path, content);
      },
    };
    const { bus, subscriberErrors } = createTestBus();
    const logger = createMemoryLogger();
    const path = join(tmp.dir, "run.jsonl");
    attachEventLog(bus, { fs: flakyFs, path, logger });
    // The logger's warnings come back as `log` events in a real run: route them so the feedback loop is exercised.
    logger.addSink((record) => {
      bus.emit("log", { level: record.level, message: record.message });
    });

    bus.emit("run:started", runStarted());
    bus.emit("story:started", storyStarted());
    await bus.drain();
    expect(logger.records.filter((r) => r.level === "warn")).toHaveLength(1);
    expect(await fs.exists(path)).toBe(false);
    expect(subscriberErrors).toEqual([]);

    failing = false;
    bus.emit("story:started", storyStarted("US-002"));
    await bus.drain();
    const lines = await readLines(path);
    expect(lines.map((l) => l.seq)).toEqual([...lines.map((l) => l.seq)].sort((a, b) => a - b));
    expect(lines.filter((l) => l.type === "story:started").map((l) => l.storyId)).toEqual(["US-001", "US-002"]);
    expect(lines.some((l) => l.type === "log" && l.message.includes("ENOSPC"))).toBe(true);
  });
});
