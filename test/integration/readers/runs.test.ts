import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { RunRowSchema } from "../../../src/readers/registry";
import { globalPaths } from "../../../src/state/paths";
import {
  counts,
  createTestIo,
  makeTempDir,
  metaFor,
  registerRun,
  runEvents,
  runIdAt,
  writeEventLog,
  writeLiveStatus,
  writeProject,
  writeSnapshot,
} from "../../helpers/state-fixtures";

const R1 = runIdAt("2026-03-07T05:00:00.000Z");
const R2 = runIdAt("2026-03-07T05:20:00.000Z");
const R3 = runIdAt("2026-03-07T05:40:00.000Z");

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let naxHome: string;
let app: string;
let svc: string;

beforeEach(async () => {
  temp = await makeTempDir("runs");
  naxHome = join(temp.path, "home");
  app = await writeProject(join(temp.path, "a"), "app", { auth: [{ id: "US-001" }] });
  svc = await writeProject(temp.path, "svc", { api: [{ id: "US-001" }] });
  // R1 completed; R2, a later run of the same feature, failed and now owns the feature snapshot.
  await writeEventLog(app, "auth", R1, runEvents(R1, { end: "completed", final: counts(3, 3), cost: 0.5 }));
  await writeEventLog(app, "auth", R2, runEvents(R2, { end: "failed", final: counts(2, 3, 1), cost: 1.25 }));
  await writeSnapshot(app, { runId: R2, feature: "auth", status: "failed", progress: counts(2, 3, 1), spent: 1.25 });
  await writeLiveStatus(app, { runId: R2, feature: "auth", status: "failed", progress: counts(2, 3, 1), spent: 1.25 });
  // R3 says running, but its pid is dead.
  await writeEventLog(svc, "api", R3, runEvents(R3, { end: "none", final: counts(0, 2) }));
  await writeLiveStatus(svc, { runId: R3, feature: "api", status: "running", progress: counts(1, 2) });
  await registerRun(naxHome, metaFor(app, "app", "auth", R1));
  await registerRun(naxHome, metaFor(app, "app", "auth", R2));
  await registerRun(naxHome, metaFor(svc, "svc", "api", R3));
});
afterEach(async () => {
  await temp.cleanup();
});

const Rows = z.array(RunRowSchema);

async function runsJson(args: string[] = [], cwd = temp.path) {
  const t = createTestIo({ naxHome, cwd });
  const code = await t.run(["runs", "--json", ...args]);
  expect(code).toBe(0);
  return Rows.parse(JSON.parse(t.stdout()));
}

describe("nax runs", () => {
  test("lists every run newest first, each with its own outcome, even after a later run of its feature", async () => {
    const rows = await runsJson();
    expect(rows.map((r) => [r.runId, r.project, r.status, r.passed, r.total])).toEqual([
      [R3, "svc", "crashed", 1, 2],
      [R2, "app", "failed", 2, 3],
      [R1, "app", "completed", 3, 3],
    ]);
    expect(rows[2]?.costUsd).toBe(0.5);
  });

  test("prints an aligned table with every column and a footer", async () => {
    const t = createTestIo({ naxHome, cwd: temp.path });
    expect(await t.run(["runs"])).toBe(0);
    const lines = t.stdout().split("\n");
    expect(lines[0]).toMatch(/^RUN ID\s+PROJECT\s+FEATURE\s+STATUS\s+STORIES\s+DURATION\s+COST\s+DATE$/);
    const r1 = lines.find((l) => l.startsWith(R1)) ?? "";
    expect(r1).toMatch(/app \(folder; prd p\)\s+auth\s+completed\s+3\/3\s+2m\s+\$0\.50\s+\d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(lines.findIndex((l) => l.startsWith(R3))).toBeLessThan(lines.findIndex((l) => l.startsWith(R1)));
    expect(t.stdout()).toContain("showing 3 of 3");
  });

  test("--project filters by project name or by the project's folder", async () => {
    expect((await runsJson(["--project", "svc"])).map((r) => r.runId)).toEqual([R3]);
    expect((await runsJson(["--project", app])).map((r) => r.runId)).toEqual([R2, R1]);
    expect((await runsJson(["--project", "./a/app"])).map((r) => r.runId)).toEqual([R2, R1]);
  });

  test("--project matches the PRD's project field too, and the row says it matched the PRD", async () => {
    const rows = await runsJson(["--project", "p"]);
    expect(rows.map((r) => [r.runId, r.matchedBy, r.prdProject])).toEqual([
      [R3, "prd", "p"],
      [R2, "prd", "p"],
      [R1, "prd", "p"],
    ]);
    expect((await runsJson(["--project", "app"])).map((r) => r.matchedBy)).toEqual(["folder", "folder"]);
    const t = createTestIo({ naxHome, cwd: temp.path });
    expect(await t.run(["runs", "--project", "p"])).toBe(0);
    expect(t.stdout()).toMatch(new RegExp(`${R1}\\s+p \\(prd; folder app\\)\\s+auth`));
  });

  test("the PRD project recorded in meta.json is used without reading prd.json", async () => {
    const r4 = runIdAt("2026-03-07T05:50:00.000Z");
    await registerRun(naxHome, { ...metaFor(join(temp.path, "gone"), "gone", "x", r4), prdProject: "Shop" });
    expect((await runsJson(["--project", "Shop"])).map((r) => [r.runId, r.matchedBy])).toEqual([[r4, "prd"]]);
  });

  test("a --project that matches nothing says so, with the projects there are, instead of 'no runs registered'", async () => {
    const t = createTestIo({ naxHome, cwd: temp.path });
    expect(await t.run(["runs", "--project", "nope"])).toBe(0);
    expect(t.stdout()).toContain('no runs of project "nope" among 3 registered');
    expect(t.stdout()).toContain("known: app, p, svc");
    expect(t.stdout()).not.toContain("no runs registered");
  });

  test("--status keeps only runs with that outcome", async () => {
    expect((await runsJson(["--status", "failed"])).map((r) => r.runId)).toEqual([R2]);
    expect((await runsJson(["--status", "crashed"])).map((r) => r.runId)).toEqual([R3]);
    expect(await runsJson(["--status", "running"])).toEqual([]);
  });

  test("--last limits the rows and the footer says how many there are", async () => {
    const t = createTestIo({ naxHome, cwd: temp.path });
    expect(await t.run(["runs", "--last", "1"])).toBe(0);
    expect(t.stdout()).toContain(R3);
    expect(t.stdout()).not.toContain(R2);
    expect(t.stdout()).toContain("showing 1 of 3");
  });

  test("a moved project shows [unavailable] and the other runs still list", async () => {
    await rm(svc, { recursive: true, force: true });
    const t = createTestIo({ naxHome, cwd: temp.path });
    expect(await t.run(["runs"])).toBe(0);
    const r3 =
      t
        .stdout()
        .split("\n")
        .find((l) => l.startsWith(R3)) ?? "";
    expect(r3).toContain("[unavailable]");
    expect(t.stdout()).toMatch(new RegExp(`${R1}.*completed`));
    expect((await runsJson()).find((r) => r.runId === R3)?.status).toBe("unavailable");
  });

  test("unreadable and invalid meta files are skipped with a count, never a crash", async () => {
    const runsDir = globalPaths(naxHome).runsDir;
    await mkdir(join(runsDir, "x-y-run-broken"), { recursive: true });
    await writeFile(join(runsDir, "x-y-run-broken", "meta.json"), "{ not json");
    await mkdir(join(runsDir, "x-y-run-invalid"), { recursive: true });
    await writeFile(join(runsDir, "x-y-run-invalid", "meta.json"), JSON.stringify({ runId: 42 }));
    const t = createTestIo({ naxHome, cwd: temp.path });
    expect(await t.run(["runs"])).toBe(0);
    expect(t.stdout()).toContain("2 unreadable registry entries skipped");
    expect(t.stdout()).toContain("showing 3 of 3");
  });

  test("two checkouts with the same folder name are told apart by their parent folders", async () => {
    const twin = await writeProject(join(temp.path, "b"), "app", { auth: [{ id: "US-001" }] });
    const r4 = runIdAt("2026-03-07T05:50:00.000Z");
    await writeEventLog(twin, "auth", r4, runEvents(r4, { end: "completed", final: counts(1, 1) }));
    await registerRun(naxHome, metaFor(twin, "app", "auth", r4));
    const rows = await runsJson();
    expect(rows.find((r) => r.runId === r4)?.label).toBe("app (…/b)");
    expect(rows.find((r) => r.runId === R1)?.label).toBe("app (…/a)");
    expect((await runsJson(["--project", "app (…/b)"])).map((r) => r.runId)).toEqual([r4]);
  });

  test("an unknown --status is a usage error", async () => {
    const t = createTestIo({ naxHome, cwd: temp.path });
    expect(await t.run(["runs", "--status", "exploded"])).toBe(2);
    expect(t.stderr()).toContain("--status");
  });

  test("an empty registry says so", async () => {
    const t = createTestIo({ naxHome: join(temp.path, "empty-home"), cwd: temp.path });
    expect(await t.run(["runs"])).toBe(0);
    expect(t.stdout()).toContain("no runs registered");
  });
});
