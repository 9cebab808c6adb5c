/**
 * `nax worker` interrupted, as a process: SIGTERM while the agent works
 * (with a grandchild in its own process group) stops the agent's group,
 * keeps the attempt's work in an attempt ref pushed to the remote, and ends
 * with an `aborted` result and exit 143; a deadline that passes does the
 * same with `deadline` and exit 1. Only the worker this test started is
 * signalled; the agent's and grandchild's pids are only probed.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { parseWorkerResult } from "../../src/worker/result";
import { readPidFile, waitUntilGone } from "../fakes/process-probe";
import { git, startWorkerProcess, type WorkerSetup, workerSetup } from "../helpers/worker-setup";

setDefaultTimeout(60_000);

let made: WorkerSetup | undefined;
afterEach(async () => {
  await made?.cleanup();
  made = undefined;
});

const KEPT = "refs/nax/attempts/demo/US-001/1";

async function hangingWorker(jobOverrides: Parameters<typeof workerSetup>[1] = {}) {
  const pidFile = join(
    await import("node:os").then((os) => os.tmpdir()),
    `nax-worker-grandchild-${process.pid}-${Date.now()}.pid`,
  );
  made = await workerSetup(
    {
      default: {
        actions: [
          { append: { path: "src/feature.txt", content: "half done\n" } },
          { spawnChild: "exec sleep 30", pidFile },
          { hang: true },
        ],
      },
    },
    jobOverrides,
  );
  return { setup: made, pidFile };
}

describe("nax worker interrupted", () => {
  test("SIGTERM stops the agent's group, pushes the kept work and ends with an aborted result and exit 143", async () => {
    const { setup, pidFile } = await hangingWorker();
    const worker = await startWorkerProcess(setup.p, setup.machine, setup.job);
    const grandchild = await readPidFile(pidFile, 15_000);
    const [call] = await setup.p.claudeCalls();
    worker.kill("SIGTERM");
    const exit = await worker.exited;
    expect(exit.code).toBe(143);
    const parsed = parseWorkerResult(exit.out);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.result).toMatchObject({ reason: "aborted", storyId: "US-001" });
    expect(parsed.result.branch).toBeUndefined();
    expect(parsed.result.kept.map((k) => k.ref)).toEqual([KEPT]);
    expect(await waitUntilGone([call?.pid as number, grandchild], 3000)).toBe(true);
    // The interrupted attempt's work is on the remote, where the coordinator can fetch it.
    expect(git(setup.bare, setup.p.env, ["show", `${KEPT}:src/feature.txt`])).toBe("half done");
  });

  test("a deadline that passes stops the attempt the same way and ends with reason deadline and exit 1", async () => {
    const { setup, pidFile } = await hangingWorker();
    // Set as the worker starts, with room for the agent to begin (about 2 s on a loaded machine).
    const deadline = new Date(Date.now() + 6000).toISOString();
    const worker = await startWorkerProcess(setup.p, setup.machine, { ...setup.job, deadline });
    const grandchild = await readPidFile(pidFile, 15_000);
    const exit = await worker.exited;
    expect(await waitUntilGone([grandchild], 3000)).toBe(true);
    expect(exit.code).toBe(1);
    const parsed = parseWorkerResult(exit.out);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.result.reason).toBe("deadline");
    expect(parsed.result.kept.map((k) => k.ref)).toEqual([KEPT]);
  });
});
