/**
 * `nax worker` as a remote machine runs it: a bare git remote, a folder that
 * sees only that remote and the job, `bin/nax.ts worker` as a process with
 * the test-double agent. Its stdout is numbered envelope lines with
 * heartbeats and one schema-valid result; the passed story's branch is on
 * the bare remote; the coordinator fetches it and lands it through the same
 * merge queue and gate as a local lane, and a red gate on the merged tree
 * means not passed whatever the worker said. A bad job exits 2 naming the field.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { EventEnvelopeSchema } from "../../src/events/envelope";
import { landWorkerResult, workerRef } from "../../src/worker/coordinator";
import { parseWorkerResult, type WorkerResult } from "../../src/worker/result";
import { NAX_BIN } from "../helpers/nax-process";
import { exists } from "../helpers/project";
import {
  WORKER_BRANCH as BRANCH,
  coordinatorFor,
  git,
  runWorkerProcess,
  type WorkerSetup,
  workerSetup,
} from "../helpers/worker-setup";

let made: WorkerSetup | undefined;
afterEach(async () => {
  await made?.cleanup();
  made = undefined;
});

async function setUp(): Promise<WorkerSetup> {
  made = await workerSetup({
    sessions: [{ match: "# Task: US-001", actions: [{ append: { path: "src/feature.txt", content: "done\n" } }] }],
  });
  return made;
}

describe("nax worker against a bare remote", () => {
  test("runs the story in its own clone, streams numbered events with heartbeats, pushes the branch, and the coordinator lands it through the merge queue and gate", async () => {
    const { p, bare, machine, job } = await setUp();
    const run = await runWorkerProcess(p, machine, job);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);

    const lines = run.out.trimEnd().split("\n");
    const events = lines.slice(0, -1).map((line) => EventEnvelopeSchema.parse(JSON.parse(line)));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]?.type).toBe("worker:started");
    const types = new Set(events.map((e) => e.type));
    for (const type of ["worker:heartbeat", "story:started", "verify:completed", "story:completed"]) {
      expect(types.has(type as never)).toBe(true);
    }
    const parsed = parseWorkerResult(run.out);
    if (!parsed.ok) throw new Error(parsed.error);
    const result: WorkerResult = parsed.result;
    expect(result).toMatchObject({ reason: "passed", storyId: "US-001", baseCommit: job.baseCommit, attempts: 1 });
    expect(result.branch?.name).toBe(BRANCH);
    expect(result.gate).toMatchObject({
      command: "sh check.sh",
      exitCode: 0,
      passed: true,
      failedCount: 0,
      commit: result.branch?.commit,
    });

    // The bare remote holds the branch: one commit on the base, with the story's change and nothing of the PRD's states.
    const tip = git(bare, p.env, ["rev-parse", `refs/heads/${BRANCH}`]);
    expect(tip).toBe(result.branch?.commit as string);
    expect(git(bare, p.env, ["rev-parse", `${tip}^`])).toBe(job.baseCommit);
    expect(git(bare, p.env, ["show", `${tip}:src/feature.txt`])).toBe("done");
    expect(git(bare, p.env, ["diff", "--name-only", job.baseCommit, tip])).toBe("src/feature.txt");

    const coordinator = await coordinatorFor(p);
    const landed = await landWorkerResult(coordinator.deps, {
      job,
      result,
      ctx: coordinator.ctx("US-001"),
      remote: "origin",
    });
    expect(landed.kind).toBe("passed");
    await coordinator.finish();
    expect(await readFile(join(p.dir, "src/feature.txt"), "utf8")).toBe("done\n");
    expect(p.git(["log", "-1", "--format=%s%n%b"])).toContain("Nax-Story: US-001");
    expect(p.git(["status", "--porcelain"])).toBe("");
    // Landed: the fetched ref held nothing left of its own.
    expect(p.git(["for-each-ref", workerRef("demo", "US-001")])).toBe("");
  }, 60_000);

  test("a worker's pass whose merged tree fails the coordinator's gate is not passed, and its branch is kept", async () => {
    const { p, machine, job } = await setUp();
    const run = await runWorkerProcess(p, machine, job);
    expect(run.code).toBe(0);
    const parsed = parseWorkerResult(run.out);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.result.reason).toBe("passed");

    // Meanwhile the coordinator's branch moved: a change that is fine alone and breaks with the story's file.
    await p.writeText(
      "check.sh",
      'if [ -f src/feature.txt ]; then echo "FAIL feature.txt clashes"; exit 1; fi\necho "1 passed"\n',
    );
    p.git(["commit", "-qam", "the suite refuses src/feature.txt"]);
    const coordinator = await coordinatorFor(p);
    const landed = await landWorkerResult(coordinator.deps, {
      job,
      result: parsed.result,
      ctx: coordinator.ctx("US-001"),
      remote: "origin",
    });
    expect(landed.kind).not.toBe("passed");
    expect(landed.reason).toContain("the tests fail on the integration branch with US-001 merged");
    await coordinator.finish();
    expect(await exists(join(p.dir, "src/feature.txt"))).toBe(false);
    expect(coordinator.storyStatus("US-001")).not.toBe("passed");
    expect(p.git(["rev-parse", workerRef("demo", "US-001")]).trim()).toBe(parsed.result.branch?.commit as string);
  }, 60_000);

  test("an agent that is not logged in ends the job with reason agent-unusable and exit 1, nothing pushed", async () => {
    const { p, bare, machine, job } = await setUp();
    const run = await runWorkerProcess(p, machine, job, { NAX_FAKE_CLAUDE_LOGGED_OUT: "1" });
    expect(run.code).toBe(1);
    const parsed = parseWorkerResult(run.out);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.result).toMatchObject({ reason: "agent-unusable", kept: [], attempts: 0 });
    expect(git(bare, p.env, ["for-each-ref", "refs/heads/nax-worker/"])).toBe("");
  }, 60_000);

  test("a bad job exits 2 naming the field and its fix, before anything is cloned", async () => {
    const { p, machine, job } = await setUp();
    const run = await runWorkerProcess(p, machine, { ...job, baseCommit: "HEAD", budget: {} });
    expect(run.code).toBe(2);
    expect(run.out).toBe("");
    expect(run.err).toContain("job.json: baseCommit: the full commit id");
    expect(run.err).toContain("budget.maxCostUsd:");
    expect(await exists(join(machine, "work"))).toBe(false);
  }, 60_000);

  test("a job read from stdin (`nax worker -`) is checked the same way, its source named as stdin", async () => {
    const { p, machine, job } = await setUp();
    const proc = Bun.spawn([process.execPath, NAX_BIN, "worker", "-", "--work-dir", "work"], {
      cwd: machine,
      env: p.env,
      stdin: new Blob([JSON.stringify({ ...job, pushTo: {} })]),
      stdout: "pipe",
      stderr: "pipe",
    });
    const [code, err] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
    expect(code).toBe(2);
    expect(err).toContain("stdin: pushTo.branch: the branch the worker pushes a passed story to");
    expect(await exists(join(machine, "work"))).toBe(false);
  }, 60_000);
});
