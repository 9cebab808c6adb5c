import { afterEach, describe, expect, test } from "bun:test";
import { EventEmitter } from "node:events";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { isNaxError } from "../../../src/errors";
import { createEventBus } from "../../../src/events/bus";
import type { AnyNaxEvent } from "../../../src/events/events";
import { type CreateRunServices, executeRun, type GateResult, type RunServices } from "../../../src/execution/runner";
import { loadRunSetup } from "../../../src/execution/setup";
import { createMemoryLogger } from "../../../src/logger/logger";
import { createBudget } from "../../../src/pipeline/budget";
import type { PipelineOutcome } from "../../../src/pipeline/pipeline";
import type { StoryContext } from "../../../src/pipeline/stage";
import { createSys } from "../../../src/system/sys";

let root: string;
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

type Story = (ctx: StoryContext) => Promise<Omit<PipelineOutcome, "state">>;

async function fixture(
  options: {
    story?: Story;
    agentOk?: boolean;
    gates?: GateResult[];
    prdStories?: unknown[];
    /** Called while the services are being built: after the lock, before the agent check. */
    onCreate?: (target: EventEmitter) => void;
  } = {},
) {
  root = await mkdtemp(join(tmpdir(), "nax-runner-"));
  const dir = join(root, "project");
  await mkdir(join(dir, "nax/features/demo"), { recursive: true });
  const stories = (options.prdStories ?? [{ id: "US-001", title: "one" }]).map((s) => ({
    acceptanceCriteria: ["it works"],
    ...(s as object),
  }));
  await writeFile(
    join(dir, "nax/features/demo/prd.json"),
    JSON.stringify({ project: "p", feature: "demo", userStories: stories }),
  );
  // A run with nothing to verify against refuses to start (trap 28); these tests are about the lifecycle.
  await writeFile(join(dir, "nax/config.json"), JSON.stringify({ quality: { commands: { test: "true" } } }));
  const sys = createSys({ env: {}, naxHome: join(root, "home") });
  const setup = await loadRunSetup(sys, { dir, feature: "demo", dryRun: false, force: false, cliOverrides: {} });
  const events: AnyNaxEvent[] = [];
  const exits: number[] = [];
  const warnings: string[] = [];
  const target = new EventEmitter();
  const logger = createMemoryLogger();
  let created = 0;
  let gateCalls = 0;
  let attached = 0;
  const story: Story = options.story ?? (async () => ({ kind: "passed", reason: "ok", stage: "completion" }));
  const create: CreateRunServices = (s, context) => {
    created++;
    options.onCreate?.(target);
    const bus = createEventBus({ runId: s.runId, now: () => sys.clock.iso(), onSubscriberError: () => undefined });
    const services: RunServices = {
      bus,
      logger,
      budget: createBudget(s.config.execution.costLimit),
      checkAgent: async () =>
        options.agentOk === false
          ? { ok: false, message: "Claude Code CLI not found", fix: "npm install -g @anthropic-ai/claude-code" }
          : { ok: true, version: "1.0.0" },
      attachSubscribers: () => {
        attached++;
        return bus.onAny((e) => void events.push(e), { name: "recorder" });
      },
      runStory: async (ctx) => ({ ...(await story(ctx)), state: ctx.state }) as PipelineOutcome,
      classify: () => ({ complexity: "simple", testStrategy: "test-after" }),
      startTier: () => "fast",
      ...(options.gates
        ? { deferredGate: async () => (options.gates?.[gateCalls++] ?? options.gates?.at(-1)) as GateResult }
        : {}),
    };
    expect(context.store.current().userStories).toHaveLength(stories.length);
    return services;
  };
  const run = () =>
    executeRun(
      setup,
      { sys, process: target, exit: (code) => void exits.push(code), warn: (m) => void warnings.push(m) },
      create,
    );
  return {
    dir,
    setup,
    events,
    exits,
    warnings,
    target,
    run,
    types: () => events.map((e) => e.type).filter((t) => t.startsWith("run:")),
    counts: () => ({ created, attached }),
    gateCalls: () => gateCalls,
    logger,
    lockExists: () => Bun.file(join(dir, "nax.lock")).exists(),
  };
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

describe("runner lifecycle", () => {
  test("emits run:started first and run:completed last with real counts, exit 0, and releases everything", async () => {
    const f = await fixture({
      prdStories: [
        { id: "US-001", title: "one" },
        { id: "US-002", title: "two" },
      ],
    });
    const report = await f.run();
    expect(report).toMatchObject({ status: "completed", exitCode: 0, runId: f.setup.runId });
    expect(f.types()).toEqual(["run:started", "run:completed"]);
    expect(f.events[0]?.type).toBe("run:started");
    const completed = f.events.at(-1);
    expect(completed?.type === "run:completed" && completed.data).toMatchObject({
      status: "completed",
      iterations: 2,
      counts: { total: 2, passed: 2 },
    });
    expect(await f.lockExists()).toBe(false);
    for (const event of ["SIGINT", "SIGTERM", "SIGHUP", "uncaughtException", "unhandledRejection"]) {
      expect(f.target.listenerCount(event)).toBe(0);
    }
  });

  test("the lock exists while stories run and names this run", async () => {
    let lock: Record<string, unknown> | undefined;
    const f = await fixture({
      story: async (ctx) => {
        lock = JSON.parse(await readFile(join(ctx.workdir, "nax.lock"), "utf8"));
        return { kind: "passed", reason: "ok", stage: "completion" };
      },
    });
    await f.run();
    expect(lock).toMatchObject({ runId: f.setup.runId, feature: "demo", pid: process.pid });
  });

  test("a SIGTERM during setup, before any service exists, unwinds without a throw, exits 143 and leaves no lock (trap 4)", async () => {
    const f = await fixture({ onCreate: (target) => void target.emit("SIGTERM") });
    const report = await f.run();
    expect(report).toMatchObject({ status: "interrupted", exitCode: 143 });
    expect(f.events).toEqual([]);
    expect(f.counts().attached).toBe(0);
    expect(f.exits).toEqual([]);
    expect(await f.lockExists()).toBe(false);
    expect(f.target.listenerCount("SIGTERM")).toBe(0);
  });

  test("services that fail to build after the lock was taken still release it (trap 8)", async () => {
    const f = await fixture({
      onCreate: () => {
        throw new Error("could not build the services");
      },
    });
    await expect(f.run()).rejects.toThrow("could not build the services");
    expect(await f.lockExists()).toBe(false);
  });

  test("a missing agent stops before run:started with the install command, and the lock is released (trap 8)", async () => {
    const f = await fixture({ agentOk: false });
    const error = await f.run().catch((e) => e);
    expect(isNaxError(error, "AGENT_NOT_FOUND")).toBe(true);
    expect((error as Error).message).toContain("npm install -g @anthropic-ai/claude-code");
    expect(f.events).toEqual([]);
    expect(f.counts().attached).toBe(0);
    expect(await f.lockExists()).toBe(false);
  });

  test("a live lock refuses the run before any service is built", async () => {
    const f = await fixture();
    const holder = {
      pid: process.pid,
      hostname: hostname(),
      runId: "run-x",
      feature: "other",
      startedAt: "2026-01-01T00:00:00.000Z",
    };
    await writeFile(join(f.dir, "nax.lock"), JSON.stringify(holder));
    const error = await f.run().catch((e) => e);
    expect(isNaxError(error, "LOCK_HELD")).toBe(true);
    expect(f.counts()).toEqual({ created: 0, attached: 0 });
    expect(JSON.parse(await readFile(join(f.dir, "nax.lock"), "utf8"))).toEqual(holder);
  });

  test("a stale lock from a dead run is replaced and the warning goes to the run's log, not twice to the console", async () => {
    const f = await fixture();
    const gone = Bun.spawn(["true"]);
    await gone.exited;
    const stale = {
      pid: gone.pid,
      hostname: hostname(),
      runId: "run-old",
      feature: "demo",
      startedAt: "2026-01-01T00:00:00.000Z",
    };
    await writeFile(join(f.dir, "nax.lock"), JSON.stringify(stale));
    expect((await f.run()).exitCode).toBe(0);
    expect(f.logger.records.filter((r) => r.level === "warn").map((r) => r.message)).toEqual([
      expect.stringContaining(`stale lock from a run that is no longer alive (pid ${gone.pid}`),
    ]);
    expect(f.warnings).toEqual([]);
    expect(await f.lockExists()).toBe(false);
  });

  test("a failing deferred gate that no story explains fails the run at once", async () => {
    const gate: GateResult = {
      passed: false,
      exitReason: "deferred regression gate failed: x",
      storyIds: [],
      byStory: {},
      summary: "x",
    };
    const f = await fixture({ gates: [gate] });
    const report = await f.run();
    expect(report).toMatchObject({ status: "failed", exitCode: 1, exitReason: "deferred regression gate failed: x" });
    const last = f.events.at(-1);
    expect(last?.type === "run:completed" && last.data.status).toBe("failed");
    expect(f.gateCalls()).toBe(1);
  });

  test("a gate failure attributed to a story reopens it with the failing tests, and a passing gate completes the run", async () => {
    const prompts: StoryContext[] = [];
    const gate: GateResult = {
      passed: false,
      exitReason: "deferred regression gate failed: cart",
      storyIds: ["US-001"],
      byStory: { "US-001": ["adds to cart"] },
      summary: "1 failing",
    };
    const f = await fixture({
      prdStories: [
        { id: "US-001", title: "one" },
        { id: "US-002", title: "two" },
      ],
      gates: [gate, { passed: true }],
      story: async (ctx) => {
        prompts.push(ctx);
        return { kind: "passed", reason: "ok", stage: "completion" };
      },
    });
    const report = await f.run();
    expect(report).toMatchObject({ status: "completed", exitCode: 0 });
    expect(prompts.map((c) => [c.story.id, c.attempt])).toEqual([
      ["US-001", 1],
      ["US-002", 1],
      ["US-001", 2],
    ]);
    expect(prompts[2]?.priorFailures).toMatchObject([
      { stage: "regression", failingTests: ["adds to cart"], tier: "fast" },
    ]);
    const completed = f.events.at(-1);
    expect(completed?.type === "run:completed" && completed.data.iterations).toBe(3);
  });

  test("a gate that keeps failing stops after maxRectificationAttempts rounds with the reason", async () => {
    const gate: GateResult = {
      passed: false,
      exitReason: "deferred regression gate failed: y",
      storyIds: ["US-001"],
      byStory: {},
      summary: "y",
    };
    const f = await fixture({ gates: [gate] });
    const report = await f.run();
    expect(report).toMatchObject({
      status: "failed",
      exitReason: "deferred regression gate failed: y (after 2 rectification rounds)",
    });
    expect(f.gateCalls()).toBe(3);
    expect(f.events.filter((e) => e.type === "story:started")).toHaveLength(3);
  });

  test("SIGINT during a story aborts it, emits run:crashed once with the signal, and returns 130", async () => {
    let target: EventEmitter | undefined;
    const f = await fixture({
      prdStories: [
        { id: "US-001", title: "one" },
        { id: "US-002", title: "two" },
      ],
      story: async (ctx) => {
        target?.emit("SIGINT");
        await waitForAbort(ctx.signal);
        return { kind: "stop", reason: "aborted", detail: "stopped during agent", stage: "agent" };
      },
    });
    target = f.target;
    const report = await f.run();
    expect(report).toMatchObject({ status: "crashed", exitCode: 130 });
    expect(f.types()).toEqual(["run:started", "run:crashed"]);
    const crashed = f.events.at(-1);
    expect(crashed?.type === "run:crashed" && crashed.data).toMatchObject({ signal: "SIGINT", storyId: "US-001" });
    expect(f.events.filter((e) => e.type === "story:started")).toHaveLength(1);
    expect(f.exits).toEqual([]);
    expect(await f.lockExists()).toBe(false);
    expect(f.target.listenerCount("SIGINT")).toBe(0);
  });

  test("an uncaught exception records run:crashed with the error once, releases the lock and exits 1", async () => {
    let target: EventEmitter | undefined;
    const f = await fixture({
      story: async (ctx) => {
        target?.emit("uncaughtException", new Error("boom in a callback"));
        await waitForAbort(ctx.signal);
        return { kind: "stop", reason: "aborted", detail: "stopped", stage: "agent" };
      },
    });
    target = f.target;
    const report = await f.run();
    expect(report.exitCode).toBe(1);
    expect(f.types()).toEqual(["run:started", "run:crashed"]);
    const crashed = f.events.at(-1);
    expect(crashed?.type === "run:crashed" && crashed.data.error).toBe("boom in a callback");
    // The handler's own exit comes once its crash write settles, which may be after the run unwound.
    for (const end = Date.now() + 5000; f.exits.length === 0 && Date.now() < end; ) await Bun.sleep(5);
    expect(f.exits).toEqual([1]);
    expect(await f.lockExists()).toBe(false);
  });

  test("an error thrown out of the loop is reported as run:crashed and rethrown", async () => {
    const f = await fixture({
      story: async () => {
        throw new Error("pipeline bug");
      },
    });
    const error = await f.run().catch((e) => e);
    expect((error as Error).message).toBe("pipeline bug");
    expect(f.types()).toEqual(["run:started", "run:crashed"]);
    expect(await f.lockExists()).toBe(false);
  });
});
