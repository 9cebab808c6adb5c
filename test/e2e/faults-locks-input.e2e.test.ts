/**
 * Fault suite, locks and bad input, with `bin/nax.ts` as a process: a corrupt
 * lock is stale (warned, replaced), a live one refuses the run with exit 3 and
 * touches nothing (trap 24), and a malformed prd.json or config stops with
 * exit 2 before anything is written.
 */
import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { hostname } from "node:os";
import { join } from "node:path";
import { runNax } from "../helpers/nax-process";
import { createTestProject, exists, type TestProject } from "../helpers/project";

// Real processes on a loaded 2-core machine: bun's 5 s default is too tight for a run and its rerun.
setDefaultTimeout(60_000);

/** Everything under the project and NAX_HOME, to compare before and after a refused run. */
async function expectUnchanged(project: TestProject, before: Map<string, string>): Promise<void> {
  const after = await project.snapshot();
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [path, content] of before) expect({ path, content: after.get(path) }).toEqual({ path, content });
}

describe("locks", () => {
  let project: TestProject;
  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "one" }],
      config: { quality: { commands: { test: "true" } } },
      script: { default: { actions: [{ write: { path: "src/one.txt", content: "one\n" } }] } },
    });
  });
  afterAll(async () => {
    await project.cleanup();
  });
  afterEach(async () => {
    await Bun.file(join(project.dir, "nax.lock"))
      .delete()
      .catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
  });

  test("a live lock, held by a process the test started, refuses the run with exit 3 naming the holder, and nothing is touched (trap 24)", async () => {
    const holder = Bun.spawn(["sleep", "30"], { stdout: "ignore", stderr: "ignore" });
    try {
      const lock = {
        pid: holder.pid,
        hostname: hostname(),
        runId: "run-2026-01-01T00-00-00-000Z",
        feature: "other",
        startedAt: "2026-01-01T00:00:00.000Z",
      };
      await project.writeText("nax.lock", JSON.stringify(lock));
      const before = await project.snapshot();
      const result = await runNax(project, ["run", "-f", "demo"]);
      expect(result.code).toBe(3);
      expect(result.err).toContain(`pid ${holder.pid}`);
      expect(result.err).toContain('feature "other"');
      await expectUnchanged(project, before);
      expect(await project.claudeCalls()).toEqual([]);
    } finally {
      holder.kill("SIGKILL");
      await holder.exited;
    }
  });

  test("a corrupt lock is treated as stale: a warning, then the run proceeds and completes (trap 6)", async () => {
    await project.writeText("nax.lock", "{ this is not json");
    const result = await runNax(project, ["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    expect(`${result.out}${result.err}`).toContain("lock file is unreadable; treating it as stale");
    expect(await exists(join(project.dir, "nax.lock"))).toBe(false);
    const prd = await project.readJson<{ userStories: { status: string }[] }>("nax/features/demo/prd.json");
    expect(prd.userStories[0]?.status).toBe("passed");
  });
});

describe("bad input", () => {
  let project: TestProject;
  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "one" }],
      config: { quality: { commands: { test: "true" } } },
    });
  });
  afterAll(async () => {
    await project.cleanup();
  });

  async function refusedWith(path: string, content: string, expected: string[]): Promise<void> {
    const original = await Bun.file(join(project.dir, path)).text();
    await project.writeText(path, content);
    try {
      const before = await project.snapshot();
      const result = await runNax(project, ["run", "-f", "demo"]);
      expect(result.code).toBe(2);
      for (const part of expected) expect(result.err).toContain(part);
      await expectUnchanged(project, before);
      expect(await project.claudeCalls()).toEqual([]);
    } finally {
      await project.writeText(path, original);
    }
  }

  test("a prd.json that is not JSON stops with exit 2 naming the file, and nothing is written", async () => {
    await refusedWith("nax/features/demo/prd.json", '{ "userStories": [', ["prd.json"]);
  });

  test("a prd.json story without a title stops with exit 2 naming the field, and nothing is written", async () => {
    const prd = { project: "p", feature: "demo", userStories: [{ id: "US-001" }] };
    await refusedWith("nax/features/demo/prd.json", JSON.stringify(prd), ["prd.json", "title"]);
  });

  test("a config that is not JSON stops with exit 2 naming the file, and nothing is written", async () => {
    await refusedWith("nax/config.json", "{ nope", ["config.json"]);
  });

  test("a config with an unknown key stops with exit 2 naming the key, and nothing is written", async () => {
    const config = await project.readJson("nax/config.json");
    await refusedWith("nax/config.json", JSON.stringify({ ...config, exeuction: {} }), ["config.json", "exeuction"]);
  });
});
