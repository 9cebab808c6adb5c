import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { isNaxError } from "../../../src/errors";
import { createMemoryLogger } from "../../../src/logger/logger";
import { HOOK_NAMES, HooksFileSchema } from "../../../src/state/hooks-file";
import {
  attachHooks,
  hookTriggers,
  loadHooks,
  type ResolvedHook,
  SAMPLE_HOOKS_JSON,
} from "../../../src/subscribers/hooks";
import { createNodeFs } from "../../../src/system/fs";
import { createProcessGroups } from "../../../src/system/process-groups";
import { createRedactor } from "../../../src/system/secrets";
import { createSpawner } from "../../../src/system/spawn";
import { counts, createTempDir, createTestBus, event, RUN_ID, runStarted, storyStarted } from "./fixtures";

const fs = createNodeFs();
const spawn = createSpawner(createProcessGroups());
const baseEnv = { PATH: process.env.PATH, NAX_STORY_ID: "leaked-from-outer-run" };
const noSecrets = createRedactor({});

function hook(name: ResolvedHook["name"], command: string[], timeoutMs = 10_000): ResolvedHook {
  return { name, command, timeoutMs, source: "test hooks.json" };
}

async function loadError(text: string): Promise<unknown> {
  await using tmp = await createTempDir();
  const project = join(tmp.dir, "hooks.json");
  await fs.writeAtomic(project, text);
  return await loadHooks(fs, { global: join(tmp.dir, "missing.json"), project }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("loadHooks", () => {
  test("reads global hooks first, then the project's, skipping disabled entries", async () => {
    await using tmp = await createTempDir();
    const global = join(tmp.dir, "home", "hooks.json");
    const project = join(tmp.dir, "nax", "hooks.json");
    await fs.writeAtomic(global, JSON.stringify({ hooks: { "on-complete": [{ command: ["notify", "global"] }] } }));
    await fs.writeAtomic(
      project,
      JSON.stringify({
        hooks: {
          "on-complete": [{ command: ["notify", "project"], timeoutMs: 500 }],
          "on-start": [{ command: ["never"], enabled: false }],
        },
      }),
    );
    const hooks = await loadHooks(fs, { global, project });
    expect(hooks).toEqual([
      { name: "on-complete", command: ["notify", "global"], timeoutMs: 30_000, source: global },
      { name: "on-complete", command: ["notify", "project"], timeoutMs: 500, source: project },
    ]);
  });

  test("missing files mean no hooks", async () => {
    await using tmp = await createTempDir();
    expect(await loadHooks(fs, { global: join(tmp.dir, "a.json"), project: join(tmp.dir, "b.json") })).toEqual([]);
  });

  test("an invalid entry stops with CONFIG_INVALID naming the file and the field", async () => {
    const error = await loadError(JSON.stringify({ hooks: { "on-story-fail": [{ command: "curl -X POST x" }] } }));
    expect(isNaxError(error, "CONFIG_INVALID")).toBe(true);
    expect((error as Error).message).toMatch(/hooks\.json: hooks\.on-story-fail\[0\]\.command: /);
  });

  test("a misspelt hook name is an error, not a silently dead hook", async () => {
    const error = await loadError(JSON.stringify({ hooks: { "on-compelte": [] } }));
    expect(isNaxError(error, "CONFIG_INVALID")).toBe(true);
    expect((error as Error).message).toContain('"on-compelte"');
  });

  test("broken JSON is an error naming the file", async () => {
    const error = await loadError("{ hooks: ");
    expect(isNaxError(error, "CONFIG_INVALID")).toBe(true);
    expect((error as Error).message).toMatch(/hooks\.json: not valid JSON/);
  });

  test("the sample file nax init writes is valid and lists every hook with no commands", () => {
    const parsed = HooksFileSchema.parse(JSON.parse(SAMPLE_HOOKS_JSON));
    expect(Object.keys(parsed.hooks).sort()).toEqual([...HOOK_NAMES].sort());
    expect(Object.values(parsed.hooks).every((list) => Array.isArray(list) && list.length === 0)).toBe(true);
  });
});

describe("hookTriggers", () => {
  test("a run that ends failed fires on-complete and on-error; a completed one only on-complete", () => {
    const ended = (status: "completed" | "failed") =>
      event("run:completed", { status, counts: counts(), costSpent: 0, iterations: 0, durationMs: 0 });
    expect(hookTriggers(ended("failed")).map((t) => t.name)).toEqual(["on-complete", "on-error"]);
    expect(hookTriggers(ended("completed"))).toEqual([{ name: "on-complete", status: "completed" }]);
    expect(hookTriggers(event("run:crashed", { signal: "SIGTERM" }))).toEqual([
      { name: "on-crash", status: "crashed" },
    ]);
    expect(hookTriggers(event("heartbeat", {}))).toEqual([]);
  });
});

describe("attachHooks", () => {
  test("a hook gets the event in env vars and as JSON on stdin, in the workdir", async () => {
    await using tmp = await createTempDir();
    const script =
      'printf "%s|%s|%s|%s|%s|%s\\n" "$NAX_EVENT" "$NAX_RUN_ID" "$NAX_FEATURE" "$NAX_STORY_ID" "$NAX_STATUS" "$PWD" > out.txt; cat >> out.txt';
    const { bus, subscriberErrors } = createTestBus();
    const logger = createMemoryLogger();
    attachHooks(bus, {
      spawn,
      env: baseEnv,
      hooks: [hook("on-story-complete", ["sh", "-c", script])],
      workdir: tmp.dir,
      redactor: noSecrets,
      logger,
    });
    bus.emit("run:started", runStarted());
    bus.emit("story:completed", { storyId: "US-007", attempts: 1, costUsd: 0.5, durationMs: 10 });
    await bus.drain();

    const [envLine, stdinLine] = ((await fs.readText(join(tmp.dir, "out.txt"))) ?? "").split("\n");
    expect(envLine).toBe(`on-story-complete|${RUN_ID}|auth|US-007|passed|${tmp.dir}`);
    const payload = JSON.parse(stdinLine ?? "");
    expect(payload).toMatchObject({
      type: "story:completed",
      runId: RUN_ID,
      data: { storyId: "US-007", costUsd: 0.5 },
    });
    expect(subscriberErrors).toEqual([]);
    expect(logger.records.filter((r) => r.level === "warn")).toEqual([]);
  });

  test("a secret value inside the event reaches neither the hook's stdin nor its NAX_* variables (trap 30)", async () => {
    await using tmp = await createTempDir();
    const secret = "sk-hook-secret-0123456789";
    const { bus } = createTestBus();
    attachHooks(bus, {
      spawn,
      env: baseEnv,
      hooks: [hook("on-story-fail", ["sh", "-c", 'printf "%s|" "$NAX_STORY_ID" > out.txt; cat >> out.txt'])],
      workdir: tmp.dir,
      logger: createMemoryLogger(),
      redactor: createRedactor({ MY_API_TOKEN: secret }),
    });
    bus.emit("story:failed", {
      storyId: `US-${secret}`,
      reason: `tests failed: MY_API_TOKEN=${secret}`,
      attempts: 1,
    });
    await bus.drain();
    const written = (await fs.readText(join(tmp.dir, "out.txt"))) ?? "";
    expect(written).toStartWith("US-[redacted]|");
    expect(written).toContain("MY_API_TOKEN=[redacted]");
    expect(written).not.toContain(secret);
  });

  test("a story id inherited from an outer environment is not passed to run-level hooks", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    attachHooks(bus, {
      spawn,
      env: baseEnv,
      hooks: [hook("on-start", ["sh", "-c", 'printf "[%s]" "$NAX_STORY_ID" > out.txt'])],
      workdir: tmp.dir,
      redactor: noSecrets,
      logger: createMemoryLogger(),
    });
    bus.emit("run:started", runStarted());
    await bus.drain();
    expect(await fs.readText(join(tmp.dir, "out.txt"))).toBe("[]");
  });

  test("argv goes to the program as is, never through a shell", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    attachHooks(bus, {
      spawn,
      env: baseEnv,
      hooks: [hook("on-start", ["touch", "a; touch pwned"])],
      workdir: tmp.dir,
      redactor: noSecrets,
      logger: createMemoryLogger(),
    });
    bus.emit("run:started", runStarted());
    await bus.drain();
    expect(await fs.readdir(tmp.dir)).toEqual(["a; touch pwned"]);
  });

  test("failing, hanging and missing hooks only warn, and later hooks still run", async () => {
    await using tmp = await createTempDir();
    const { bus, subscriberErrors } = createTestBus();
    const logger = createMemoryLogger();
    attachHooks(bus, {
      spawn,
      env: baseEnv,
      hooks: [
        hook("on-story-start", ["sh", "-c", "echo boom >&2; exit 3"]),
        hook("on-story-start", ["sh", "-c", "exec sleep 30"], 150),
        hook("on-story-start", [join(tmp.dir, "no-such-hook")]),
        hook("on-story-start", ["touch", "still-ran"]),
      ],
      workdir: tmp.dir,
      redactor: noSecrets,
      logger,
    });
    bus.emit("story:started", storyStarted());
    await bus.drain();

    const warnings = logger.records.filter((r) => r.level === "warn").map((r) => r.message);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain("exited with code 3: boom");
    expect(warnings[1]).toContain("stopped after 150ms");
    expect(warnings[2]).toContain("could not start");
    expect(await fs.exists(join(tmp.dir, "still-ran"))).toBe(true);
    expect(subscriberErrors).toEqual([]);
  });
});
