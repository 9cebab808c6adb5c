import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { appendFile, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readRegistry } from "../../../src/readers/registry-scan";
import { appendRunIndex, formatRunIndexLine, runIndexPath } from "../../../src/state/run-index";
import { createNodeFs } from "../../../src/system/fs";
import { makeTempDir, metaFor, registerRun, runIdAt } from "../../helpers/state-fixtures";

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let naxHome: string;
const fs = createNodeFs();
const ids = ["05:00", "05:10", "05:20"].map((t) => runIdAt(`2026-03-07T${t}:00.000Z`));

beforeEach(async () => {
  temp = await makeTempDir("registry");
  naxHome = join(temp.path, "home");
  for (const id of ids) await registerRun(naxHome, metaFor(join(temp.path, "app"), "app", "f", id));
});
afterEach(async () => {
  await temp.cleanup();
});

const indexLines = async () => (await readFile(runIndexPath(naxHome), "utf8")).split("\n").filter(Boolean);
const listed = async () => (await readRegistry({ fs, naxHome })).entries.map((e) => e.meta.runId);

describe("readRegistry with the index", () => {
  test("the first read lists every run newest first and writes an index line per folder", async () => {
    expect(await listed()).toEqual([...ids].reverse());
    expect(await indexLines()).toHaveLength(3);
  });

  test("once indexed, a run is listed from the index without reading its meta.json", async () => {
    const dir = await registerRun(naxHome, metaFor(join(temp.path, "app"), "app", "f", ids[0] as string));
    await listed();
    await writeFile(join(dir, "meta.json"), "no longer json");
    expect(await listed()).toContain(ids[0] as string);
  });

  test("a folder the index lacks is still found from the listing, and appended", async () => {
    await listed();
    const late = runIdAt("2026-03-07T05:30:00.000Z");
    await registerRun(naxHome, metaFor(join(temp.path, "app"), "app", "f", late));
    expect((await listed())[0]).toBe(late);
    expect(await indexLines()).toHaveLength(4);
  });

  test("an index line whose folder is gone is not listed", async () => {
    const dirs = await Promise.all(
      ids.map((id) => registerRun(naxHome, metaFor(join(temp.path, "app"), "app", "f", id))),
    );
    await listed();
    await rm(dirs[1] as string, { recursive: true });
    expect(await listed()).toEqual([ids[2], ids[0]] as string[]);
  });

  test("a corrupt index line is ignored and the run comes from its folder", async () => {
    await writeFile(runIndexPath(naxHome), "{broken\n");
    expect(await listed()).toHaveLength(3);
  });

  test("a deleted index is rebuilt to the same listing", async () => {
    const before = await listed();
    await rm(runIndexPath(naxHome));
    expect(await listed()).toEqual(before);
    expect(await indexLines()).toHaveLength(3);
  });

  test("a line appended by the registry writer is used", async () => {
    const late = runIdAt("2026-03-07T05:40:00.000Z");
    const meta = metaFor(join(temp.path, "app"), "app", "f", late);
    const dir = await registerRun(naxHome, meta);
    await appendRunIndex(fs, naxHome, dir, meta);
    await writeFile(join(dir, "meta.json"), "garbage the reader must not need");
    const listing = await readRegistry({ fs, naxHome });
    expect(listing.entries[0]?.meta.runId).toBe(late);
    expect(listing.skipped).toBe(0);
  });

  test("many dead lines make the reader rewrite the index compactly", async () => {
    const dead = Array.from({ length: 600 }, (_, i) =>
      formatRunIndexLine(`gone-run-${i}`, metaFor("/nowhere", "x", "f", runIdAt("2026-01-01T00:00:00.000Z"))),
    );
    await appendFile(runIndexPath(naxHome), dead.join(""));
    await listed();
    expect(await indexLines()).toHaveLength(3);
  });

  test("an index that cannot be written is reported, and the listing is still complete", async () => {
    const readOnly = {
      ...fs,
      appendText: async () => {
        throw Object.assign(new Error("read-only file system"), { code: "EROFS" });
      },
    };
    const listing = await readRegistry({ fs: readOnly, naxHome });
    expect(listing.entries).toHaveLength(3);
    expect(listing.indexError).toContain("read-only file system");
  });
});
