/**
 * `nax worker` interrupted, as a process: SIGTERM while the agent works
 * (with a grandchild in its own process group) stops the agent's group,
 * keeps the attempt's work in an attempt ref pushed to the remote, and ends
 * with an `aborted` result and exit 143; a deadline that passes does the
 * same with `deadline` and exit 1. Only the worker this test started is
 * signalled; the agent's and grandchild's pids are only probed.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
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

/** A worker whose agent appends to a file, starts a grandchild in its own group (pid beside the project), and hangs. */
async function hangingWorker(): Promise<{ setup: WorkerSetup; pidFile: string }> {
  const setup = await workerSetup({});
  made = setup;
  const pidFile = join(setup.p.dir, "..", "grandchild.pid");
  await setup.p.setScript({
    default: {
      actions: [
        { append: { path: "src/feature.txt", content: "half done\n" } },
        { spawnChild: "exec sleep 30", pidFile },
        { hang: true },
      ],
    },
  });
  return { setup, pidFile };
}

/** Every agent the worker started, and the grandchild if one got that far. */
async function startedPids(setup: WorkerSetup, pidFile: string): Promise<number[]> {
  const agents = (await setup.p.claudeCalls()).map((call) => call.pid);
  const text = existsSync(pidFile) ? readFileSync(pidFile, "utf8").trim() : "";
  return /^\d+$/.test(text) ? [...agents, Number(text)] : agents;
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
    // Wherever the deadline finds the worker (cloning, or the agent at work), the ending is the same.
    const deadline = new Date(Date.now() + 4000).toISOString();
    const exit = await (await startWorkerProcess(setup.p, setup.machine, { ...setup.job, deadline })).exited;
    expect(exit.code).toBe(1);
    const parsed = parseWorkerResult(exit.out);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.result).toMatchObject({ reason: "deadline", detail: expect.stringContaining("deadline") });
    expect(parsed.result.branch).toBeUndefined();
    expect(await waitUntilGone(await startedPids(setup, pidFile), 3000)).toBe(true);
  });
});
