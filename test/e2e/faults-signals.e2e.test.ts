/**
 * Fault suite, signals: `bin/nax.ts` run as a real process, interrupted while
 * the fake agent works (with a grandchild in its own process group, as the
 * real CLI's Bash tool leaves behind). Only the nax child this test started is
 * ever signalled; the agent's and grandchild's pids come from files the fake
 * wrote and are only probed.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { parsePrd } from "../../src/prd/load";
import { EventLineSchema } from "../../src/state/event-line";
import { type StatusFile, StatusFileSchema } from "../../src/state/status-file";
import { readPidFile, waitUntilGone } from "../fakes/process-probe";
import { type NaxExit, runNax, startNax, until } from "../helpers/nax-process";
import { createTestProject, exists, type TestProject } from "../helpers/project";

// Real processes on a loaded 2-core machine: bun's 5 s default is too tight for a run and its rerun.
setDefaultTimeout(60_000);

const STATUS_FILES = ["nax/status.json", "nax/features/demo/status.json"];

/** A project whose agent starts a grandchild (its pid in `grandchild.pid` beside the project) and then hangs. */
async function hangingProject(ignoreInterrupt: boolean): Promise<{ project: TestProject; pidFile: string }> {
  const project = await createTestProject({
    stories: [
      { id: "US-001", title: "slow one" },
      { id: "US-002", title: "two", dependencies: ["US-001"] },
    ],
    config: { quality: { commands: { test: "true" } } },
  });
  const pidFile = join(project.dir, "..", "grandchild.pid");
  await project.setScript({
    default: {
      actions: [
        { spawnChild: "exec sleep 30", pidFile },
        { hang: true, ignoreInterrupt },
      ],
    },
  });
  return { project, pidFile };
}

async function agentPid(project: TestProject): Promise<number> {
  const [call] = await project.claudeCalls();
  if (!call) throw new Error("the fake agent was never invoked");
  return call.pid;
}

async function readStatus(project: TestProject, path: string): Promise<StatusFile> {
  return StatusFileSchema.parse(await project.readJson(path));
}

describe("SIGTERM while the agent works", () => {
  let project: TestProject;
  let exit: NaxExit;
  let sentAt: number;
  let pids: number[];

  beforeAll(async () => {
    const made = await hangingProject(false);
    project = made.project;
    const nax = startNax(project, ["run", "-f", "demo"]);
    const grandchild = await readPidFile(made.pidFile, 15_000);
    pids = [await agentPid(project), grandchild];
    sentAt = Date.now();
    nax.kill("SIGTERM");
    exit = await nax.exited;
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("nax exits with code 143 well within the 12 s budget", () => {
    expect(exit.code).toBe(143);
    expect(exit.at - sentAt).toBeLessThan(12_000);
    expect(exit.err).toContain("SIGTERM received");
  });

  test("the agent and its grandchild in its own process group are gone", async () => {
    expect(await waitUntilGone(pids, 3000)).toBe(true);
  });

  test("both status files say crashed, with crashedAt, the signal, and the story that was in progress", async () => {
    for (const path of STATUS_FILES) {
      const status = await readStatus(project, path);
      expect(status.run.status).toBe("crashed");
      expect(status.run.crashSignal).toBe("SIGTERM");
      expect(Number.isFinite(Date.parse(status.run.crashedAt ?? ""))).toBe(true);
      expect(status.current?.storyId).toBe("US-001");
    }
  });

  test("the event log ends with a run:crashed line, the lock is gone and prd.json is valid with the story back to pending", async () => {
    const { run } = await readStatus(project, STATUS_FILES[0] as string);
    const log = await Bun.file(join(project.dir, `nax/features/demo/runs/${run.id}.jsonl`)).text();
    const last = EventLineSchema.parse(JSON.parse(log.trim().split("\n").at(-1) as string));
    expect(last.type).toBe("run:crashed");
    expect(await exists(join(project.dir, "nax.lock"))).toBe(false);
    const prd = parsePrd(await Bun.file(join(project.dir, "nax/features/demo/prd.json")).text(), "prd.json");
    expect(prd.userStories.map((s) => [s.id, s.status, s.attempts])).toEqual([
      ["US-001", "pending", 0],
      ["US-002", "pending", 0],
    ]);
  });

  test("nax diagnose --json reports the run interrupted by SIGTERM, the story in progress and the rerun fix", async () => {
    const result = await runNax(project, ["diagnose", "-f", "demo", "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(report.run.state).toBe("interrupted");
    expect(report.run.signal).toBe("SIGTERM");
    expect(report.run.exitReason).toContain("interrupted by SIGTERM");
    expect(report.run.currentStoryId).toBe("US-001");
    expect(report.lock.state).toBe("absent");
    const crash = report.findings.find((f: { pattern: string }) => f.pattern === "interrupted-run");
    expect(crash.fix).toContain("nax run -f demo");
    expect(report.recommendations.join("\n")).toContain("nax run -f demo");
  });
});

describe("SIGHUP while the agent works", () => {
  test("nax exits with code 129 and records crashed with the signal", async () => {
    const { project, pidFile } = await hangingProject(false);
    try {
      const nax = startNax(project, ["run", "-f", "demo"]);
      const grandchild = await readPidFile(pidFile, 15_000);
      const pids = [await agentPid(project), grandchild];
      nax.kill("SIGHUP");
      const exit = await nax.exited;
      expect(exit.code).toBe(129);
      expect((await readStatus(project, "nax/status.json")).run.crashSignal).toBe("SIGHUP");
      expect(await waitUntilGone(pids, 3000)).toBe(true);
    } finally {
      await project.cleanup();
    }
  });
});

describe("a second SIGINT during shutdown", () => {
  test("exits at once with 130, long before the agent's 2 s kill grace (trap 10), and kills the agent and its grandchild through the same process-group registry the spawn helper filled (trap 18)", async () => {
    // The agent ignores SIGINT, so a graceful shutdown has to wait for the SIGKILL after the grace period.
    const { project, pidFile } = await hangingProject(true);
    try {
      const nax = startNax(project, ["run", "-f", "demo"]);
      const grandchild = await readPidFile(pidFile, 15_000);
      const pids = [await agentPid(project), grandchild];
      nax.kill("SIGINT");
      await until("the first SIGINT to be acknowledged", () => nax.err().includes("SIGINT received"));
      const secondAt = Date.now();
      nax.kill("SIGINT");
      const exit = await nax.exited;
      expect(exit.code).toBe(130);
      expect(exit.at - secondAt).toBeLessThan(1500);
      expect(exit.err).toContain("SIGINT again: stopping now");
      expect(await waitUntilGone(pids, 3000)).toBe(true);
      // Nothing was written on the way out, yet no reader is fooled: the dead pid makes the run a crash.
      const status = JSON.parse((await runNax(project, ["status", "--json"])).out);
      expect(status.run.status).toBe("crashed");
      expect(status.lock.state).toBe("stale");
      // The lock that was left behind: `nax unlock` shows its holder and removes it, since that pid is dead.
      const unlock = await runNax(project, ["unlock"]);
      expect(unlock.code).toBe(0);
      expect(unlock.out).toContain(`pid ${nax.pid}`);
      expect(unlock.out).toContain("removed the stale lock");
      expect(await exists(join(project.dir, "nax.lock"))).toBe(false);
    } finally {
      await project.cleanup();
    }
  });
});
