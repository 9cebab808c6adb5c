/**
 * `nax status`, `nax diagnose` and `nax runs` must tell the same story about a
 * run whose status file still says `running`: with its pid dead, or with its
 * pid alive but no heartbeat for longer than the stale threshold (a hung
 * process), each of them calls it crashed.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { DiagnoseReportSchema } from "../../../src/readers/diagnose/schema";
import { ProjectStatusSchema } from "../../../src/readers/project-status";
import { RunRowSchema } from "../../../src/readers/registry";
import { STALE_HEARTBEAT_MS } from "../../../src/readers/run-outcome";
import {
  createTestIo,
  DEAD_PID,
  makeTempDir,
  metaFor,
  NOW,
  registerRun,
  runIdAt,
  writeLiveStatus,
  writeProject,
} from "../../helpers/state-fixtures";

const RUN = runIdAt("2026-03-07T05:40:00.000Z");
const current = {
  storyId: "US-002",
  title: "story US-002",
  complexity: "simple",
  testStrategy: "test-after",
  model: "haiku",
  tier: "fast",
  attempt: 1,
  phase: "agent",
};

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let app: string;
let home: string;

beforeEach(async () => {
  temp = await makeTempDir("agreement");
  home = join(temp.path, "home");
  app = await writeProject(temp.path, "app", {
    auth: [
      { id: "US-001", status: "passed", attempts: 1 },
      { id: "US-002", status: "in-progress" },
    ],
  });
  await registerRun(home, metaFor(app, "app", "auth", RUN));
});
afterEach(async () => {
  await temp.cleanup();
});

async function readAll() {
  const json = async (argv: string[]) => {
    const t = createTestIo({ naxHome: home, cwd: app });
    expect(await t.run(argv)).toBe(0);
    return JSON.parse(t.stdout());
  };
  return {
    status: ProjectStatusSchema.parse(await json(["status", "--json"])),
    diagnosis: DiagnoseReportSchema.parse(await json(["diagnose", "--json"])),
    runs: RunRowSchema.array().parse(await json(["runs", "--json"])),
  };
}

describe("status, diagnose and runs agree on a run that stopped without saying so", () => {
  test("a running status whose pid is dead is crashed in all three, naming the story in progress", async () => {
    await writeLiveStatus(app, { runId: RUN, feature: "auth", status: "running", pid: DEAD_PID, current });
    const { status, diagnosis, runs } = await readAll();
    expect(status.run?.status).toBe("crashed");
    expect(diagnosis.run.state).toBe("crashed");
    expect(diagnosis.run.currentStoryId).toBe("US-002");
    expect(runs.map((r) => [r.runId, r.status])).toEqual([[RUN, "crashed"]]);
  });

  test("a live pid whose heartbeat is older than the stale threshold is crashed in all three, and diagnose calls it hung", async () => {
    const lastHeartbeat = new Date(NOW - STALE_HEARTBEAT_MS - 30_000).toISOString();
    await writeLiveStatus(app, {
      runId: RUN,
      feature: "auth",
      status: "running",
      pid: process.pid,
      lastHeartbeat,
      current,
    });
    const { status, diagnosis, runs } = await readAll();
    expect(status.run?.status).toBe("crashed");
    expect(status.run?.pidAlive).toBe(true);
    expect(diagnosis.run.state).toBe("crashed");
    expect(diagnosis.findings.map((f) => f.pattern)).toContain("hung-process");
    expect(runs.map((r) => [r.runId, r.status])).toEqual([[RUN, "crashed"]]);
  });

  test("the same live pid with a fresh heartbeat is running in all three", async () => {
    await writeLiveStatus(app, { runId: RUN, feature: "auth", status: "running", pid: process.pid, current });
    const { status, diagnosis, runs } = await readAll();
    expect(status.run?.status).toBe("running");
    expect(diagnosis.run.state).toBe("running");
    expect(runs.map((r) => [r.runId, r.status])).toEqual([[RUN, "running"]]);
  });
});
