/**
 * Fault suite, misbehaving agents, with `bin/nax.ts` as a process: an agent
 * flooding both pipes must not hang the run (trap 1), and one that hangs past
 * the session timeout is killed with its grandchild, the attempt is recorded
 * as a timeout, and the run goes on. Pids come from files the fake wrote and
 * are only probed, never signalled.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { parsePrd } from "../../src/prd/load";
import type { Prd } from "../../src/prd/schema";
import { readPidFile, waitUntilGone } from "../fakes/process-probe";
import { runNax } from "../helpers/nax-process";
import { createTestProject, type TestProject } from "../helpers/project";

// Real processes on a loaded 2-core machine: bun's 5 s default is too tight for a run and its rerun.
setDefaultTimeout(60_000);

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

async function readPrd(p: TestProject): Promise<Prd> {
  const path = join(p.dir, "nax/features/demo/prd.json");
  return parsePrd(await Bun.file(path).text(), path);
}

describe("misbehaving agents", () => {
  test("an agent printing 2 MB on stdout and 2 MB on stderr does not hang the run, which completes (trap 1)", async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "noisy" }],
      config: { quality: { commands: { test: "test -f src/noisy.txt" } } },
      script: {
        default: {
          actions: [
            { stdoutBytes: 2 * 1024 * 1024 },
            { stderrBytes: 2 * 1024 * 1024 },
            { write: { path: "src/noisy.txt", content: "done\n" } },
          ],
        },
      },
    });
    const started = Date.now();
    const result = await runNax(project, ["run", "-f", "demo", "--skip-precheck"]);
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect((await readPrd(project)).userStories[0]?.status).toBe("passed");
  });

  test("an agent hanging past the session timeout is killed with its grandchild, the attempt is a recorded timeout, and the next attempt passes", async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "hangs once" },
        { id: "US-002", title: "after it", dependencies: ["US-001"] },
      ],
      config: { execution: { sessionTimeoutSeconds: 1 }, quality: { commands: { test: "true" } } },
    });
    const pidFile = join(project.dir, "..", "hung-grandchild.pid");
    await project.setScript({
      sessions: [
        {
          name: "hangs",
          match: "Task: US-001",
          times: 1,
          actions: [{ spawnChild: "exec sleep 30", pidFile }, { hang: true }],
        },
      ],
      default: { actions: [{ append: { path: "src/done.txt", content: "done\n" } }] },
    });
    const result = await runNax(project, ["run", "-f", "demo"]);
    expect(result.code).toBe(0);

    const calls = await project.claudeCalls();
    expect(calls.map((c) => c.session)).toEqual(["hangs", "default", "default"]);
    const grandchild = await readPidFile(pidFile);
    expect(await waitUntilGone([calls[0]?.pid as number, grandchild], 3000)).toBe(true);

    const [first, second] = (await readPrd(project)).userStories;
    expect(first).toMatchObject({ status: "passed", attempts: 2 });
    expect(first?.priorFailures).toHaveLength(1);
    expect(first?.priorFailures?.[0]?.reason).toMatch(/timeout/);
    expect(second?.status).toBe("passed");
  });
});
