import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { listRuns } from "../../../src/readers/registry";
import { readRegistry } from "../../../src/readers/registry-scan";
import { openIndexTail } from "../../../src/readers/registry-tail";
import { globalPaths } from "../../../src/state/paths";
import { formatRunIndexLine, runIndexPath } from "../../../src/state/run-index";
import { createNodeFs } from "../../../src/system/fs";
import { fixedClock, HOST, makeTempDir, metaFor, registerRun, runIdAt } from "../../helpers/state-fixtures";

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let naxHome: string;
const fs = createNodeFs();
const sys = () => ({ fs, naxHome, clock: fixedClock(), hostname: HOST, isPidAlive: () => false });
const idAt = (minute: number) =>
  runIdAt(new Date(Date.parse("2026-03-07T05:00:00.000Z") + minute * 60_000).toISOString());

/** Makes the index look written after the folder's last change, as a real append a tick later would. */
async function indexNewerThanFolder(): Promise<void> {
  const folderTime = (await fs.stat(globalPaths(naxHome).runsDir))?.mtimeMs ?? 0;
  const later = new Date(folderTime + 5_000);
  await utimes(runIndexPath(naxHome), later, later);
}

beforeEach(async () => {
  temp = await makeTempDir("registry-tail");
  naxHome = join(temp.path, "home");
});
afterEach(async () => {
  await temp.cleanup();
});

describe("reading the newest runs from the end of the index", () => {
  test("an index older than the runs folder is not trusted: the full scan is needed", async () => {
    await registerRun(naxHome, metaFor(join(temp.path, "app"), "app", "f", idAt(0)));
    expect(await openIndexTail({ fs, naxHome })).toBeUndefined();
  });

  test("after a full scan the index is current, and the tail gives the newest runs first across chunks", async () => {
    const count = 600;
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const meta = metaFor(join(temp.path, "app"), "app", `feature-${"x".repeat(90)}`, idAt(i));
      const dir = await registerRun(naxHome, meta);
      lines.push(formatRunIndexLine(dir.split("/").at(-1) as string, meta));
    }
    await writeFile(runIndexPath(naxHome), lines.join(""));
    await readRegistry({ fs, naxHome });
    await indexNewerThanFolder();
    const tail = await openIndexTail({ fs, naxHome });
    if (!tail) throw new Error("expected the index to be current after a full scan");
    const first = await tail.next(3);
    expect(first.map((e) => e.meta.runId)).toEqual([idAt(599), idAt(598), idAt(597)]);
    const rest = await tail.next(10_000);
    expect(rest).toHaveLength(count - 3);
    expect(rest.at(-1)?.meta.runId).toBe(idAt(0));
    expect(await tail.next(5)).toEqual([]);
  });

  test("a folder appended twice to the index is listed once, with its last line", async () => {
    const meta = metaFor(join(temp.path, "app"), "app", "f", idAt(1));
    const dir = await registerRun(naxHome, meta);
    const name = dir.split("/").at(-1) as string;
    await writeFile(runIndexPath(naxHome), formatRunIndexLine(name, meta) + formatRunIndexLine(name, meta));
    await indexNewerThanFolder();
    const tail = await openIndexTail({ fs, naxHome });
    expect((await tail?.next(10))?.map((e) => e.meta.runId)).toEqual([idAt(1)]);
  });

  test("nax runs lists a run whose index append was lost, and one removed by hand disappears", async () => {
    const app = join(temp.path, "app");
    await registerRun(naxHome, metaFor(app, "app", "f", idAt(0)));
    const removed = await registerRun(naxHome, metaFor(app, "app", "f", idAt(1)));
    expect((await listRuns(sys(), { cwd: temp.path, last: 20 })).rows).toHaveLength(2);
    await registerRun(naxHome, metaFor(app, "app", "f", idAt(2)));
    await rm(removed, { recursive: true });
    const ids = (await listRuns(sys(), { cwd: temp.path, last: 20 })).rows.map((r) => r.runId);
    expect(ids).toEqual([idAt(2), idAt(0)]);
  });

  test("with a current index, --last counts only the rows asked for and says the total is unknown", async () => {
    const app = join(temp.path, "app");
    for (let i = 0; i < 30; i++) await registerRun(naxHome, metaFor(app, "app", "f", idAt(i)));
    await readRegistry({ fs, naxHome });
    await indexNewerThanFolder();
    const listing = await listRuns(sys(), { cwd: temp.path, last: 5 });
    expect(listing.rows.map((r) => r.runId)).toEqual([29, 28, 27, 26, 25].map(idAt));
    expect(listing.considered).toBeUndefined();
    const all = await listRuns(sys(), { cwd: temp.path, last: 100 });
    expect(all.rows).toHaveLength(30);
    expect(all.considered).toBe(30);
  });
});
