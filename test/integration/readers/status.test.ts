import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ProjectStatusSchema } from "../../../src/readers/project-status";
import { featurePaths } from "../../../src/state/paths";
import {
  counts,
  createTestIo,
  DEAD_PID,
  makeTempDir,
  NOW,
  runEvents,
  runIdAt,
  writeEventLog,
  writeLiveStatus,
  writeLock,
  writeProject,
  writeSnapshot,
} from "../../helpers/state-fixtures";

const R1 = runIdAt("2026-03-07T05:00:00.000Z");
const R2 = runIdAt("2026-03-07T05:40:00.000Z");

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let app: string;

beforeEach(async () => {
  temp = await makeTempDir("status");
  app = await writeProject(temp.path, "app", {
    auth: [
      {
        id: "US-001",
        status: "passed",
        attempts: 1,
        routing: { complexity: "simple", modelTier: "fast", testStrategy: "test-after" },
      },
      {
        id: "US-002",
        status: "failed",
        attempts: 4,
        routing: { complexity: "complex", modelTier: "powerful", testStrategy: "tdd" },
      },
      { id: "US-003" },
    ],
    billing: [{ id: "B-1" }],
  });
});
afterEach(async () => {
  await temp.cleanup();
});

const io = () => createTestIo({ naxHome: join(temp.path, "home"), cwd: app });
const current = {
  storyId: "US-003",
  title: "story US-003",
  complexity: "medium",
  testStrategy: "tdd",
  model: "sonnet",
  tier: "balanced",
  attempt: 2,
  phase: "verify",
};

describe("nax status", () => {
  test("works before anything has run and lists every feature from its prd.json", async () => {
    const t = io();
    expect(await t.run(["status"])).toBe(0);
    expect(t.stdout()).toContain("No run yet");
    expect(t.stdout()).toMatch(/auth\s+1\/3\s+1\s+1\s+0\s+-\s+-\s+not run/);
    expect(t.stdout()).toMatch(/billing\s+0\/1/);
  });

  test("shows the live run first: pid, current story and phase, progress, cost against the limit, heartbeat, rate-limit wait", async () => {
    await writeLiveStatus(app, {
      runId: R2,
      feature: "auth",
      status: "running",
      pid: process.pid,
      progress: counts(1, 3, 1),
      spent: 1.5,
      limit: 20,
      current,
      rateLimit: { waitingUntil: new Date(NOW + 120_000).toISOString(), reason: "429 from the API" },
    });
    const t = io();
    expect(await t.run(["status"])).toBe(0);
    const out = t.stdout();
    expect(out.split("\n")[0]).toBe(`Run ${R2} (feature auth): running`);
    expect(out).toContain(`pid ${process.pid} alive`);
    expect(out).toContain('story US-003 "story US-003": verify (tier balanced, attempt 2)');
    expect(out).toContain("stories 1/3 passed");
    expect(out).toContain("cost $1.50 of $20.00");
    expect(out).toContain("last heartbeat 5s ago");
    expect(out).toMatch(/rate limited: waiting 2m \(until \d\d:\d\d:\d\d\): 429 from the API/);
  });

  test("a parallel run shows one line per lane, in lane order, and --json lists the lanes", async () => {
    const lane = (n: number, storyId: string, phase: string) => ({
      ...current,
      storyId,
      title: `story ${storyId}`,
      phase,
      lane: n,
    });
    await writeLiveStatus(app, {
      runId: R2,
      feature: "auth",
      status: "running",
      pid: process.pid,
      current: lane(2, "US-003", "verify"),
      lanes: [lane(1, "US-002", "agent"), lane(2, "US-003", "verify")],
    });
    const t = io();
    expect(await t.run(["status"])).toBe(0);
    const lines = t
      .stdout()
      .split("\n")
      .filter((l) => l.includes("lane "));
    expect(lines).toEqual([
      '  lane 1: story US-002 "story US-002": agent (tier balanced, attempt 2)',
      '  lane 2: story US-003 "story US-003": verify (tier balanced, attempt 2)',
    ]);
    const json = io();
    expect(await json.run(["status", "--json"])).toBe(0);
    const report = ProjectStatusSchema.parse(JSON.parse(json.stdout()));
    expect(report.run?.lanes.map((l) => [l.lane, l.storyId, l.phase])).toEqual([
      [1, "US-002", "agent"],
      [2, "US-003", "verify"],
    ]);
  });

  test("a running status whose pid is dead is reported as a crash with the fixes, including a stale lock", async () => {
    await writeLiveStatus(app, { runId: R2, feature: "auth", status: "running", pid: DEAD_PID, current });
    await writeLock(app, { pid: DEAD_PID, runId: R2, feature: "auth" });
    const t = io();
    expect(await t.run(["status"])).toBe(0);
    expect(t.stdout()).toContain(`WARNING: run ${R2} (feature auth) crashed while working on US-003`);
    expect(t.stdout()).toContain("rerun `nax run -f auth`");
    expect(t.stdout()).toContain("`nax unlock`");
    const json = createTestIo({ naxHome: join(temp.path, "home"), cwd: app });
    expect(await json.run(["status", "--json"])).toBe(0);
    const report = ProjectStatusSchema.parse(JSON.parse(json.stdout()));
    expect(report.run?.status).toBe("crashed");
    expect(report.run?.pidAlive).toBe(false);
    expect(report.lock.state).toBe("stale");
    expect(report.features.find((f) => f.feature === "auth")?.lastRun?.status).toBe("crashed");
  });

  test("-f shows the feature's stories with status, tier, strategy and attempts, and its last run", async () => {
    await writeEventLog(app, "auth", R1, runEvents(R1, { end: "failed", final: counts(1, 3, 1), cost: 2 }));
    await writeSnapshot(app, { runId: R1, feature: "auth", status: "failed", progress: counts(1, 3, 1), spent: 2 });
    const t = io();
    expect(await t.run(["status", "-f", "auth"])).toBe(0);
    const out = t.stdout();
    expect(out).toMatch(/US-001\s+passed\s+fast\s+test-after\s+1\s+story US-001/);
    expect(out).toMatch(/US-002\s+failed\s+powerful\s+tdd\s+4/);
    expect(out).toMatch(/US-003\s+pending\s+-\s+-\s+0/);
    expect(out).toContain(`Last run ${R1}: failed, 1/3 passed, $2.00`);
    expect(out).not.toContain("billing");
  });

  test("--json carries the same data and parses through its schema", async () => {
    await writeSnapshot(app, { runId: R1, feature: "auth", status: "completed", progress: counts(3, 3), spent: 0.42 });
    const t = io();
    expect(await t.run(["status", "--json", "-f", "auth"])).toBe(0);
    const report = ProjectStatusSchema.parse(JSON.parse(t.stdout()));
    expect(report.run).toBeNull();
    expect(report.features).toHaveLength(1);
    expect(report.features[0]?.lastRun).toMatchObject({ runId: R1, status: "completed", costUsd: 0.42 });
    expect(report.feature?.stories.map((s) => [s.id, s.status, s.tier])).toEqual([
      ["US-001", "passed", "fast"],
      ["US-002", "failed", "powerful"],
      ["US-003", "pending", null],
    ]);
  });

  test("a dependant of a failed story is shown blocked by status -f, counted blocked, and diagnose agrees", async () => {
    await writeProject(temp.path, "app", {
      chain: [
        { id: "A", status: "failed", attempts: 3 },
        { id: "B", dependencies: ["A"] },
        { id: "C", dependencies: ["B"] },
        { id: "D" },
      ],
    });
    const t = io();
    expect(await t.run(["status", "-f", "chain"])).toBe(0);
    expect(t.stdout()).toMatch(/B\s+blocked\s+-\s+-\s+0\s+story B \(blocked by A\)/);
    expect(t.stdout()).toMatch(/C\s+blocked\s+-\s+-\s+0\s+story C \(blocked by B\)/);
    expect(t.stdout()).toMatch(/D\s+pending/);
    expect(t.stdout()).toMatch(/chain\s+0\/4\s+1\s+1\s+2/);
    const json = io();
    expect(await json.run(["status", "-f", "chain", "--json"])).toBe(0);
    const report = ProjectStatusSchema.parse(JSON.parse(json.stdout()));
    const shown = report.feature?.stories.map((s) => [s.id, s.status]);
    expect(shown).toEqual([
      ["A", "failed"],
      ["B", "blocked"],
      ["C", "blocked"],
      ["D", "pending"],
    ]);
    const diagnose = io();
    await diagnose.run(["diagnose", "-f", "chain", "--json"]);
    const findings = JSON.parse(diagnose.stdout()).findings as Array<{
      storyId: string;
      storyStatus: string;
      pattern: string;
    }>;
    const blocked = findings.filter((f) => f.pattern === "dependency-blocked").map((f) => [f.storyId, f.storyStatus]);
    expect(blocked).toEqual([
      ["B", "blocked"],
      ["C", "blocked"],
    ]);
  });

  test("a broken prd.json costs its row a reason, not the command", async () => {
    await writeFile(featurePaths(app, "billing").prd, "{ oops");
    const t = io();
    expect(await t.run(["status"])).toBe(0);
    expect(t.stdout()).toContain("invalid prd.json");
    expect(t.stdout()).toMatch(/auth\s+1\/3/);
  });

  test("an unknown -f feature and a folder without nax/ are usage errors", async () => {
    const t = io();
    expect(await t.run(["status", "-f", "nope"])).toBe(2);
    const outside = createTestIo({ naxHome: join(temp.path, "home"), cwd: temp.path });
    expect(await outside.run(["status"])).toBe(2);
    expect(outside.stderr()).toContain("nax init");
  });
});
