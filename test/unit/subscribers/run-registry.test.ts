import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { createMemoryLogger } from "../../../src/logger/logger";
import { featurePaths, globalPaths } from "../../../src/state/paths";
import { RunIndexLineSchema, runIndexPath } from "../../../src/state/run-index";
import { RunMetaSchema } from "../../../src/state/run-meta";
import { attachRunRegistry, type RunRegistryDeps } from "../../../src/subscribers/run-registry";
import { createNodeFs, type Fs } from "../../../src/system/fs";
import { createTempDir, createTestBus, RUN_ID, runStarted, START, storyStarted } from "./fixtures";

const fs = createNodeFs();

function deps(root: string, overrides: Partial<RunRegistryDeps> = {}): RunRegistryDeps {
  const workdir = join(root, "demo");
  const feature = featurePaths(workdir, "auth");
  return {
    fs,
    naxHome: join(root, "nax-home"),
    workdir,
    project: "demo",
    feature: "auth",
    statusPath: feature.status,
    eventsDir: feature.runsDir,
    logger: createMemoryLogger(),
    ...overrides,
  };
}

const metaPath = (root: string) =>
  join(globalPaths(join(root, "nax-home")).runDir("demo", "auth", RUN_ID), "meta.json");

describe("attachRunRegistry", () => {
  test("writes meta.json with all seven pointers once run:started is emitted (trap 12)", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    const d = deps(tmp.dir);
    attachRunRegistry(bus, d);
    bus.emit("story:started", storyStarted());
    await bus.drain();
    expect(await fs.exists(metaPath(tmp.dir))).toBe(false);

    bus.emit("run:started", runStarted());
    await bus.drain();
    const raw = JSON.parse((await fs.readText(metaPath(tmp.dir))) ?? "{}");
    expect(Object.keys(raw).sort()).toEqual(
      ["eventsDir", "feature", "project", "registeredAt", "runId", "statusPath", "workdir"].sort(),
    );
    expect(RunMetaSchema.parse(raw)).toEqual({
      runId: RUN_ID,
      project: "demo",
      feature: "auth",
      workdir: d.workdir,
      statusPath: d.statusPath,
      eventsDir: d.eventsDir,
      registeredAt: START,
    });
  });

  test("records the PRD's project beside the folder name, so `nax runs --project` can match it", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    attachRunRegistry(bus, deps(tmp.dir, { prdProject: "Shop" }));
    bus.emit("run:started", runStarted());
    await bus.drain();
    const meta = RunMetaSchema.parse(JSON.parse((await fs.readText(metaPath(tmp.dir))) ?? "{}"));
    expect(meta).toMatchObject({ project: "demo", prdProject: "Shop" });
  });

  test("appends the run to the registry index beside the run folders", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    attachRunRegistry(bus, deps(tmp.dir));
    bus.emit("run:started", runStarted());
    await bus.drain();
    const lines = ((await fs.readText(runIndexPath(join(tmp.dir, "nax-home")))) ?? "").trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(RunIndexLineSchema.parse(JSON.parse(lines[0] ?? "{}")).runId).toBe(RUN_ID);
  });

  test("is written once and never updated", async () => {
    await using tmp = await createTempDir();
    const { bus, clock } = createTestBus();
    attachRunRegistry(bus, deps(tmp.dir));
    bus.emit("run:started", runStarted());
    await bus.drain();
    const first = await fs.readText(metaPath(tmp.dir));
    clock.advance(60_000);
    bus.emit("run:started", runStarted());
    await bus.drain();
    expect(await fs.readText(metaPath(tmp.dir))).toBe(first);
  });

  test("a name with path separators stays one folder inside runs/", async () => {
    await using tmp = await createTempDir();
    const { bus } = createTestBus();
    attachRunRegistry(bus, deps(tmp.dir, { project: "../../escape" }));
    bus.emit("run:started", runStarted());
    await bus.drain();
    const entries = await fs.readdir(join(tmp.dir, "nax-home", "runs"));
    expect(entries.filter((name) => name !== "index.jsonl")).toEqual([`__.._escape-auth-${RUN_ID}`]);
    expect(await fs.exists(join(tmp.dir, "escape-auth-", RUN_ID))).toBe(false);
  });

  test("a failed registration only warns; the run's other subscribers go on", async () => {
    await using tmp = await createTempDir();
    const failingFs: Fs = {
      ...fs,
      async writeAtomic() {
        throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
      },
    };
    const { bus, subscriberErrors } = createTestBus();
    const logger = createMemoryLogger();
    attachRunRegistry(bus, deps(tmp.dir, { fs: failingFs, logger }));
    let seen = 0;
    bus.on("story:started", () => void seen++, { name: "probe" });
    bus.emit("run:started", runStarted());
    bus.emit("story:started", storyStarted());
    await bus.drain();
    expect(seen).toBe(1);
    expect(subscriberErrors).toEqual([]);
    const warnings = logger.records.filter((r) => r.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain("EACCES");
  });
});
