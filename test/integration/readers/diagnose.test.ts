import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { DiagnoseReportSchema } from "../../../src/readers/diagnose/schema";
import {
  counts,
  createTestIo,
  DEAD_PID,
  eventLine,
  makeTempDir,
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

const failingTwice = {
  id: "US-002",
  status: "failed",
  attempts: 5,
  priorFailures: [
    { attempt: 1, tier: "fast", stage: "verify", summary: "1 failing", failingTests: ["cart > totals"] },
    { attempt: 4, tier: "powerful", stage: "verify", summary: "1 failing", failingTests: ["cart > totals"] },
  ],
};

beforeEach(async () => {
  temp = await makeTempDir("diagnose");
  app = await writeProject(temp.path, "app", {
    cart: [{ id: "US-001", status: "passed" }, failingTwice, { id: "US-003", dependencies: ["US-002"] }],
  });
});
afterEach(async () => {
  await temp.cleanup();
});

async function diagnose(args: string[] = []) {
  const t = createTestIo({ naxHome: join(temp.path, "home"), cwd: app });
  expect(await t.run(["diagnose", "--json", ...args])).toBe(0);
  return DiagnoseReportSchema.parse(JSON.parse(t.stdout()));
}

describe("nax diagnose", () => {
  test("a feature that never ran is not started, and its failed stories are still explained", async () => {
    const report = await diagnose();
    expect(report.run.state).toBe("not-started");
    expect(report.recommendations[0]).toBe("start the feature with `nax run -f cart`");
    expect(report.findings.map((f) => [f.storyId, f.pattern])).toEqual([
      ["US-002", "test-mismatch"],
      ["US-003", "dependency-blocked"],
    ]);
  });

  test("a run still marked running with a dead pid is crashed, names the story in progress and gives the fixes", async () => {
    const lines = runEvents(R2, { end: "none", final: counts(1, 3), storyIds: ["US-003"] });
    await writeEventLog(app, "cart", R2, lines);
    await writeLiveStatus(app, {
      runId: R2,
      feature: "cart",
      status: "running",
      pid: DEAD_PID,
      current: {
        storyId: "US-003",
        title: "t",
        complexity: "simple",
        testStrategy: "tdd",
        model: "m",
        tier: "fast",
        attempt: 1,
        phase: "agent",
      },
    });
    await writeLock(app, { pid: DEAD_PID, runId: R2, feature: "cart" });
    const report = await diagnose();
    expect(report.run).toMatchObject({ state: "crashed", runId: R2, currentStoryId: "US-003", pidAlive: false });
    expect(report.findings.slice(0, 2).map((f) => f.pattern)).toEqual(["crashed-run", "stale-lock"]);
    expect(report.recommendations.some((r) => r.includes("nax run -f cart"))).toBe(true);
    expect(report.recommendations.some((r) => r.includes("nax unlock"))).toBe(true);

    const t = createTestIo({ naxHome: join(temp.path, "home"), cwd: app });
    expect(await t.run(["diagnose"])).toBe(0);
    expect(t.stdout()).toContain(`State: crashed (run ${R2})`);
    expect(t.stdout()).toContain("was working on US-003");
    expect(t.stdout()).toMatch(/\n1\. /);
  });

  test("diagnoses the latest run even when an older one owns the snapshot, and reads its story events", async () => {
    await writeSnapshot(app, { runId: R1, feature: "cart", status: "completed", progress: counts(3, 3) });
    const lines = runEvents(R2, { end: "failed", final: counts(1, 3, 1) });
    lines.splice(
      1,
      0,
      eventLine(R2, "agent:session-completed", { storyId: "US-002", outcome: "error", error: "spawn bun ENOENT" }),
    );
    await writeEventLog(app, "cart", R2, lines);
    const report = await diagnose(["-f", "cart"]);
    expect(report.run).toMatchObject({ state: "failed", runId: R2 });
    expect(report.findings.find((f) => f.storyId === "US-002")?.pattern).toBe("environmental");
  });

  test("a completed run with every story passed has nothing to fix", async () => {
    await writeProject(temp.path, "app", { cart: [{ id: "US-001", status: "passed" }] });
    await writeSnapshot(app, { runId: R1, feature: "cart", status: "completed", progress: counts(1, 1) });
    const report = await diagnose();
    expect(report.run.state).toBe("completed");
    expect(report.findings).toEqual([]);
    expect(report.recommendations).toEqual(["nothing to do: every story passed"]);
  });

  test("--verbose shows every prior failure as evidence", async () => {
    const many = {
      ...failingTwice,
      priorFailures: [1, 2, 3, 4, 5].map((attempt) => ({
        attempt,
        tier: attempt < 3 ? "fast" : "powerful",
        stage: "verify",
        summary: `failure ${attempt}`,
        failingTests: ["cart > totals"],
      })),
    };
    await writeProject(temp.path, "app", { cart: [many] });
    const brief = await diagnose();
    const verbose = await diagnose(["--verbose"]);
    const count = (r: typeof brief) => r.findings[0]?.evidence.filter((e) => e.startsWith("prior failure")).length;
    expect(count(brief)).toBe(3);
    expect(count(verbose)).toBe(5);
  });
});
