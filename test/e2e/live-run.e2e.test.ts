/**
 * A live run watched from outside, as a user would: `nax run` works in the
 * background (a real `bin/nax.ts` process whose test-double agent is slow)
 * while `nax status`, `nax runs` and `nax logs --follow` run as separate
 * processes. Nothing is signalled; the run ends by itself.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProjectStatusSchema } from "../../src/readers/project-status";
import { RunRowSchema } from "../../src/readers/registry";
import { StatusFileSchema } from "../../src/state/status-file";
import { type NaxExit, type NaxProcess, runNax, startNax, until } from "../helpers/nax-process";
import { createTestProject, exists, type TestProject } from "../helpers/project";

setDefaultTimeout(60_000);

describe("a run in the background, watched from other processes", () => {
  let project: TestProject;
  let elsewhere: string;
  let run: NaxProcess;
  let follow: NaxProcess;
  let runExit: NaxExit;
  let liveStatus: ReturnType<typeof ProjectStatusSchema.parse>;
  let liveRows: ReturnType<typeof RunRowSchema.parse>[];

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "slow story" },
        { id: "US-002", title: "quick story", dependencies: ["US-001"] },
      ],
      config: { quality: { commands: { test: "true" } } },
      script: {
        sessions: [
          // Long enough for three reader processes on a loaded machine (worktree setup comes before the agent).
          { match: "# Task: US-001", actions: [{ sleep: 5000 }, { write: { path: "one.txt", content: "1\n" } }] },
        ],
        default: { actions: [{ write: { path: "two.txt", content: "2\n" } }] },
      },
    });
    elsewhere = await mkdtemp(join(tmpdir(), "nax-elsewhere-"));
    run = startNax(project, ["run", "-f", "demo"]);
    await until("the agent session of US-001", async () => (await project.claudeCalls()).length > 0);
    const runId = StatusFileSchema.parse(await project.readJson("nax/status.json")).run.id;

    follow = startNax(project, ["logs", "--follow", "--run", runId.slice(0, 20)], {});
    const status = await runNax(project, ["status", "--json"]);
    liveStatus = ProjectStatusSchema.parse(JSON.parse(status.out));
    const runs = await runNax(project, ["runs", "--json", "-d", elsewhere]);
    liveRows = (JSON.parse(runs.out) as unknown[]).map((row) => RunRowSchema.parse(row));
    runExit = await run.exited;
  });

  afterAll(async () => {
    await follow?.exited;
    await project?.cleanup();
    if (elsewhere) await rm(elsewhere, { recursive: true, force: true });
  });

  test("nax status shows the live run: running, pid alive, the story in progress and a fresh heartbeat", () => {
    const live = liveStatus.run;
    expect(live).not.toBeNull();
    expect(live?.status).toBe("running");
    expect(live?.pid).toBe(run.pid);
    expect(live?.pidAlive).toBe(true);
    expect(live?.currentStoryId ?? live?.current?.storyId).toBe("US-001");
    expect(live?.heartbeatAgeMs).not.toBeNull();
    expect(live?.heartbeatAgeMs ?? Number.POSITIVE_INFINITY).toBeLessThan(15_000);
  });

  test("nax runs, from an unrelated folder, lists the run as running with 0 of 2 passed", () => {
    expect(liveRows).toHaveLength(1);
    expect(liveRows[0]).toMatchObject({ status: "running", passed: 0, total: 2, feature: "demo" });
  });

  test("the run itself completes, and nax logs --follow (by run-id prefix) ends with it, exit 0", async () => {
    expect(runExit.code).toBe(0);
    const followed = await follow.exited;
    expect(followed.code).toBe(0);
    expect(followed.out).toContain("US-001");
    expect(followed.out).toContain("US-002");
    expect(await exists(join(project.dir, "nax.lock"))).toBe(false);
  });

  test("after the run, nax runs shows the same run completed with 2 of 2", async () => {
    const after = await runNax(project, ["runs", "--json", "-d", elsewhere]);
    const rows = (JSON.parse(after.out) as unknown[]).map((row) => RunRowSchema.parse(row));
    expect(rows[0]).toMatchObject({ runId: liveRows[0]?.runId, status: "completed", passed: 2, total: 2 });
  });
});
