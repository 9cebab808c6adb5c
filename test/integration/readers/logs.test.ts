import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { EventLineSchema } from "../../../src/state/event-line";
import { featurePaths, globalPaths } from "../../../src/state/paths";
import {
  counts,
  createTestIo,
  eventLine,
  eventText,
  makeTempDir,
  metaFor,
  registerRun,
  runEvents,
  runIdAt,
  writeEventLog,
  writeLiveStatus,
  writeProject,
} from "../../helpers/state-fixtures";
import { until } from "../../helpers/until";

const R1 = runIdAt("2026-03-07T05:00:00.000Z");
const R2 = runIdAt("2026-03-07T05:20:00.000Z");
const R3 = runIdAt("2026-03-07T05:40:00.000Z");

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let naxHome: string;
let app: string;
let elsewhere: string;

beforeEach(async () => {
  temp = await makeTempDir("logs");
  naxHome = join(temp.path, "home");
  elsewhere = join(temp.path, "elsewhere");
  app = await writeProject(temp.path, "app", { auth: [{ id: "US-001" }, { id: "US-002" }] });
  const r2 = runEvents(R2, { end: "failed", final: counts(1, 2, 1), cost: 0.3 });
  r2.splice(
    1,
    0,
    eventLine(
      R2,
      "story:failed",
      { storyId: "US-002", reason: "tests fail" },
      { level: "error", message: "US-002 failed: tests fail" },
    ),
    eventLine(
      R2,
      "stage:started",
      { storyId: "US-001", stage: "verify" },
      { level: "debug", stage: "verify", message: "US-001 verify started" },
    ),
  );
  for (const [id, lines] of [
    [R1, runEvents(R1, { end: "completed", final: counts(2, 2) })],
    [R2, r2],
    [R3, runEvents(R3, { end: "completed", final: counts(2, 2) })],
  ] as const) {
    await writeEventLog(app, "auth", id, [...lines]);
    await registerRun(naxHome, metaFor(app, "app", "auth", id));
  }
});
afterEach(async () => {
  await temp.cleanup();
});

describe("nax logs --run", () => {
  test("finds a run by its full id from an unrelated directory and ends with its summary", async () => {
    const t = createTestIo({ naxHome, cwd: elsewhere });
    expect(await t.run(["logs", "--run", R2])).toBe(0);
    expect(t.stdout()).toContain("US-002 failed: tests fail");
    expect(t.stdout()).not.toContain("US-001 verify started");
    expect(t.stdout().split("\n").at(-1)).toMatch(new RegExp(`run ${R2}: failed, 1/2 stories passed, \\$0\\.30`));
  });

  test("finds a run by a unique prefix, with or without the run- prefix", async () => {
    const a = createTestIo({ naxHome, cwd: elsewhere });
    expect(await a.run(["logs", "--run", "run-2026-03-07T05-2"])).toBe(0);
    expect(a.stdout()).toContain(`run ${R2}`);
    const b = createTestIo({ naxHome, cwd: elsewhere });
    expect(await b.run(["logs", "--run", "2026-03-07T05-4"])).toBe(0);
    expect(b.stdout()).toContain(`run ${R3}`);
  });

  test("an ambiguous prefix lists the candidates and exits 2", async () => {
    const t = createTestIo({ naxHome, cwd: elsewhere });
    expect(await t.run(["logs", "--run", "run-2026-03-07T05"])).toBe(2);
    expect(t.stderr()).toContain("ambiguous");
    for (const id of [R1, R2, R3]) expect(t.stderr()).toContain(id);
  });

  test("an unknown id exits 2 and points at nax runs", async () => {
    const t = createTestIo({ naxHome, cwd: elsewhere });
    expect(await t.run(["logs", "--run", "nope"])).toBe(2);
    expect(t.stderr()).toContain(`no run "nope" in ${globalPaths(naxHome).runsDir}; see \`nax runs\``);
  });
});

describe("nax logs in a project", () => {
  test("without --run shows the only feature's latest run", async () => {
    const t = createTestIo({ naxHome, cwd: app });
    expect(await t.run(["logs"])).toBe(0);
    expect(t.stdout()).toContain(`run ${R3}: completed`);
  });

  test("--story and --level filter the lines", async () => {
    const story = createTestIo({ naxHome, cwd: app });
    expect(await story.run(["logs", "--run", R2, "--story", "US-001", "--level", "debug"])).toBe(0);
    expect(story.stdout()).toContain("US-001 verify started");
    expect(story.stdout()).not.toContain("US-002 failed");
    const level = createTestIo({ naxHome, cwd: app });
    expect(await level.run(["logs", "--run", R2, "--level", "error"])).toBe(0);
    expect(level.stdout()).toContain("US-002 failed");
    expect(level.stdout()).not.toContain("run:started");
  });

  test("--json prints every raw line, each parseable as an event line", async () => {
    const t = createTestIo({ naxHome, cwd: app });
    expect(await t.run(["logs", "--run", R2, "--json"])).toBe(0);
    const lines = t.out.map((l) => EventLineSchema.parse(JSON.parse(l)));
    expect(lines.map((l) => l.type)).toEqual([
      "run:started",
      "story:failed",
      "stage:started",
      "agent:session-completed",
      "run:completed",
    ]);
  });

  test("an invalid --level is a usage error", async () => {
    const t = createTestIo({ naxHome, cwd: app });
    expect(await t.run(["logs", "--level", "loud"])).toBe(2);
  });
});

describe("nax logs --follow", () => {
  const R4 = runIdAt("2026-03-07T05:50:00.000Z");
  const follow = (cwd: string) => createTestIo({ naxHome, cwd, env: { NAX_LOGS_POLL_MS: "10" } });

  test("streams appended lines and ends with exit 0 when run:completed is appended", async () => {
    // This test process's own pid is the live holder: alive, and never signalled.
    await writeLiveStatus(app, { runId: R4, feature: "auth", status: "running", pid: process.pid });
    const path = await writeEventLog(app, "auth", R4, [eventLine(R4, "run:started", { counts: counts(0, 2) })]);
    await registerRun(naxHome, metaFor(app, "app", "auth", R4));
    const t = follow(elsewhere);
    const done = t.run(["logs", "--run", R4, "--follow"]);
    await until("the run:started line", () => t.stdout().includes("run:started"), 5_000, 5);
    await appendFile(path, eventText([eventLine(R4, "story:started", { storyId: "US-001" })]));
    await until(
      "t.stdout().includes('story:started US-001')",
      () => t.stdout().includes("story:started US-001"),
      5_000,
      5,
    );
    await appendFile(path, eventText(runEvents(R4, { end: "completed", final: counts(2, 2) }).slice(-1)));
    expect(await done).toBe(0);
    expect(t.stdout()).toContain(`run ${R4}: completed`);
  });

  test("waits for a log file that does not exist yet", async () => {
    await writeLiveStatus(app, { runId: R4, feature: "auth", status: "running", pid: process.pid });
    await registerRun(naxHome, metaFor(app, "app", "auth", R4));
    const t = follow(elsewhere);
    const path = featurePaths(app, "auth").runLog(R4);
    const fs = t.io.sys.fs;
    let looked = 0;
    t.io.sys.fs = {
      ...fs,
      stat: (p) => {
        if (p === path) looked++;
        return fs.stat(p);
      },
    };
    const done = t.run(["logs", "--run", R4, "--follow", "--json"]);
    await until("two liveness checks", () => looked >= 2, 5_000, 5);
    await appendFile(path, eventText(runEvents(R4, { end: "completed", final: counts(2, 2) })));
    expect(await done).toBe(0);
    expect(t.out.map((l) => JSON.parse(l).type)).toEqual(["run:started", "run:completed"]);
  });

  test("exits non-zero with a message when the run's process is gone without a final line", async () => {
    await writeLiveStatus(app, { runId: R4, feature: "auth", status: "running" });
    await writeEventLog(app, "auth", R4, runEvents(R4, { end: "none", final: counts(0, 2) }));
    await registerRun(naxHome, metaFor(app, "app", "auth", R4));
    const t = follow(elsewhere);
    expect(await t.run(["logs", "--run", R4, "--follow"])).toBe(1);
    expect(t.stderr()).toContain("stopped without a final event");
    expect(t.stdout()).toContain("run:started");
  });

  test("stops following, quietly and with exit 0, once nobody reads its output any more (| head)", async () => {
    await writeLiveStatus(app, { runId: R4, feature: "auth", status: "running", pid: process.pid });
    await writeEventLog(app, "auth", R4, [eventLine(R4, "run:started", { counts: counts(0, 2) })]);
    await registerRun(naxHome, metaFor(app, "app", "auth", R4));
    const t = follow(elsewhere);
    // The reader goes away once the first line is out; the run itself stays live throughout.
    t.io.outClosed = () => t.out.length > 0;
    expect(await t.run(["logs", "--run", R4, "--follow"])).toBe(0);
    expect(t.stderr()).toBe("");
  });
});

describe("nax logs --story", () => {
  test("a story that is not in the feature is a usage error naming its stories", async () => {
    const t = createTestIo({ naxHome, cwd: elsewhere });
    expect(await t.run(["logs", "--run", R2, "--story", "US-999"])).toBe(2);
    expect(t.stderr()).toContain('story "US-999" is not in feature auth (its stories: US-001, US-002)');
    const follow = createTestIo({ naxHome, cwd: app });
    expect(await follow.run(["logs", "--story", "US-999", "--follow"])).toBe(2);
  });

  test("a story of the feature that did not run in this run is said so, not silently empty", async () => {
    const t = createTestIo({ naxHome, cwd: elsewhere });
    expect(await t.run(["logs", "--run", R1, "--story", "US-002"])).toBe(0);
    expect(t.stderr()).toContain(`story US-002 has no events in run ${R1}`);
  });

  test("a story with events prints them and no note", async () => {
    const t = createTestIo({ naxHome, cwd: elsewhere });
    expect(await t.run(["logs", "--run", R2, "--story", "US-002"])).toBe(0);
    expect(t.stdout()).toContain("US-002 failed: tests fail");
    expect(t.stderr()).toBe("");
  });
});
