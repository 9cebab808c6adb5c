import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { EVENT_TYPES, type NaxEventType } from "../../../src/events/events";
import { createMemoryLogger } from "../../../src/logger/logger";
import { HOOK_ENV_NAMES } from "../../../src/subscribers/hook-env";
import { attachHooks, loadHooks, type ResolvedHook } from "../../../src/subscribers/hooks";
import { createNodeFs } from "../../../src/system/fs";
import { createProcessGroups } from "../../../src/system/process-groups";
import { createRedactor } from "../../../src/system/secrets";
import { createSpawner } from "../../../src/system/spawn";
import { SAMPLE_PAYLOADS } from "../../helpers/event-samples";
import { createTempDir, createTestBus, runStarted, storyStarted } from "./fixtures";

const fs = createNodeFs();
const spawn = createSpawner(createProcessGroups());
const noSecrets = createRedactor({});
const hook = (name: ResolvedHook["name"], command: string[]): ResolvedHook => ({
  name,
  command,
  timeoutMs: 10_000,
  source: "test hooks.json",
});

describe("hooks for every event of the schema", () => {
  test("each event type in the EVENTS list fires the hook listed under its type, with the envelope on stdin", async () => {
    await using tmp = await createTempDir();
    // One line per run: the type nax said and the type of the envelope it piped in.
    const script =
      'printf "%s %s\\n" "$NAX_EVENT_TYPE" "$(cat | sed -e "s/.*\\"type\\":\\"\\([^\\"]*\\)\\".*/\\1/")" >> fired.txt';
    const logger = createMemoryLogger();
    const errors: unknown[] = [];
    // A bus delivers nothing after its run's terminal event: each terminal type ends a bus of its own.
    const terminal: NaxEventType[] = ["run:completed", "run:crashed"];
    const order = [...EVENT_TYPES.filter((type) => !terminal.includes(type)), ...terminal];
    for (const batch of [order.slice(0, -1), order.slice(-1)]) {
      const { bus, subscriberErrors } = createTestBus();
      attachHooks(bus, {
        spawn,
        env: { PATH: process.env.PATH },
        hooks: EVENT_TYPES.map((type) => hook(type, ["sh", "-c", script])),
        workdir: tmp.dir,
        redactor: noSecrets,
        logger,
        lockReleased: Promise.resolve(),
      });
      for (const type of batch) bus.emit(type, SAMPLE_PAYLOADS[type] as never);
      await bus.drain();
      errors.push(...subscriberErrors);
    }
    const lines = ((await fs.readText(join(tmp.dir, "fired.txt"))) ?? "").trim().split("\n");
    expect(lines).toEqual(order.map((type) => `${type} ${type}`));
    expect(order.length).toBe(EVENT_TYPES.length);
    expect(errors).toEqual([]);
    expect(logger.records.filter((r) => r.level === "warn")).toEqual([]);
  });

  test("a hook sees the documented environment, filled from the event and from the story's latest start", async () => {
    await using tmp = await createTempDir();
    const names = HOOK_ENV_NAMES.join(" ");
    const script = `for n in ${names}; do eval "printf '%s=%s\\n' $n \\"\\$$n\\""; done > env.txt`;
    const { bus } = createTestBus();
    attachHooks(bus, {
      spawn,
      env: { PATH: process.env.PATH, NAX_LANE: "leaked-from-an-outer-nax" },
      hooks: [hook("story:failed", ["sh", "-c", script])],
      workdir: tmp.dir,
      redactor: noSecrets,
      logger: createMemoryLogger(),
      agent: "claude",
      costLimit: 20,
      costSpent: () => 1.25,
    });
    bus.emit("run:started", runStarted());
    bus.emit("story:started", { ...storyStarted("US-002", 3), lane: 2 });
    bus.emit("story:failed", { storyId: "US-002", reason: "tests still fail", attempts: 3 });
    await bus.drain();
    const text = (await fs.readText(join(tmp.dir, "env.txt"))) ?? "";
    const env = Object.fromEntries(
      text
        .trim()
        .split("\n")
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    const started = storyStarted("US-002", 3);
    expect(env).toEqual({
      NAX_EVENT: "story:failed",
      NAX_EVENT_TYPE: "story:failed",
      NAX_RUN_ID: bus.runId,
      NAX_FEATURE: runStarted().feature,
      NAX_STORY_ID: "US-002",
      NAX_STATUS: "failed",
      NAX_COST_SPENT: "1.2500",
      NAX_COST_LIMIT: "20",
      NAX_MODEL: started.model,
      NAX_TIER: started.tier,
      NAX_AGENT: "claude",
      NAX_ATTEMPT: "3",
      NAX_REASON: "tests still fail",
      NAX_LANE: "2",
    });
  });

  test("`*` fires for every event; a named hook and the event's own key both fire, named first", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    const record = ["sh", "-c", 'echo "$NAX_EVENT" >> keys.txt'];
    attachHooks(bus, {
      spawn,
      env: { PATH: process.env.PATH },
      hooks: [hook("*", record), hook("story:completed", record), hook("on-story-complete", record)],
      workdir: tmp.dir,
      redactor: noSecrets,
      logger: createMemoryLogger(),
    });
    const types: NaxEventType[] = ["story:started", "story:completed"];
    for (const type of types) bus.emit(type, SAMPLE_PAYLOADS[type] as never);
    await bus.drain();
    const keys = ((await fs.readText(join(tmp.dir, "keys.txt"))) ?? "").trim().split("\n");
    expect(keys).toEqual(["*", "on-story-complete", "story:completed", "*"]);
  });
});

describe("hook layers", () => {
  test("the global file runs first; skipGlobal in the project's file leaves it out; a typo'd event type is an error", async () => {
    await using tmp = await createTempDir();
    const global = join(tmp.dir, "global.json");
    const project = join(tmp.dir, "project.json");
    const entry = (word: string) => [{ command: ["echo", word] }];
    await fs.writeAtomic(global, JSON.stringify({ hooks: { "run:started": entry("global") } }));
    await fs.writeAtomic(project, JSON.stringify({ hooks: { "story:completed": entry("project") } }));
    const both = await loadHooks(fs, { global, project });
    expect(both.map((h) => [h.name, h.command[1]])).toEqual([
      ["run:started", "global"],
      ["story:completed", "project"],
    ]);
    await fs.writeAtomic(project, JSON.stringify({ skipGlobal: true, hooks: { "story:completed": entry("project") } }));
    expect((await loadHooks(fs, { global, project })).map((h) => h.command[1])).toEqual(["project"]);
    await fs.writeAtomic(project, JSON.stringify({ hooks: { "story:complete": entry("x") } }));
    const error = await loadHooks(fs, { global, project }).catch((e: Error) => e);
    expect(String(error)).toContain("story:complete");
    expect(String(error)).toContain(project);
    await fs.writeAtomic(global, JSON.stringify({ skipGlobal: true, hooks: {} }));
    await fs.writeAtomic(project, JSON.stringify({ hooks: {} }));
    expect(String(await loadHooks(fs, { global, project }).catch((e: Error) => e))).toContain("skipGlobal belongs");
  });
});

describe("a failing `*` hook", () => {
  test("its own warning does not fire it again: one run per event, one warning", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    const logger = createMemoryLogger();
    // The logger's records become `log` events, as the run's bus logger does.
    const bridged = {
      ...logger,
      warn: (message: string, fields?: Parameters<typeof logger.warn>[1]) => {
        logger.warn(message, fields);
        bus.emit("log", { level: "warn", message, ...(fields?.data ? { data: fields.data } : {}) });
      },
    };
    attachHooks(bus, {
      spawn,
      env: { PATH: process.env.PATH },
      hooks: [hook("*", ["sh", "-c", "echo ran >> runs.txt; exit 3"])],
      workdir: tmp.dir,
      redactor: noSecrets,
      logger: bridged,
    });
    bus.emit("story:started", SAMPLE_PAYLOADS["story:started"]);
    await bus.drain();
    await bus.drain();
    expect(((await fs.readText(join(tmp.dir, "runs.txt"))) ?? "").trim().split("\n")).toEqual(["ran"]);
    expect(logger.records.filter((r) => r.level === "warn")).toHaveLength(1);
  });
});
