import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isNaxError } from "../../../src/errors";
import { parsePrd } from "../../../src/prd/load";
import { createPrdStore } from "../../../src/prd/store";
import { prdBytesText } from "../../../src/prd/story-text-cache";
import { createNodeFs, type Fs } from "../../../src/system/fs";

let dir: string;
const original = JSON.stringify({ project: "p", feature: "f", extra: 1, userStories: [{ id: "A", title: "a" }] });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "nax-store-"));
  await writeFile(join(dir, "prd.json"), original);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("PRD store", () => {
  test("saves each update atomically and keeps unknown fields", async () => {
    const path = join(dir, "prd.json");
    const store = createPrdStore(createNodeFs(), path, parsePrd(original, path), () => "2026-01-01T00:00:00.000Z");
    await store.updateStory("A", (s) => ({ ...s, status: "passed", attempts: 1 }));
    const saved = JSON.parse(await readFile(path, "utf8"));
    expect(saved.extra).toBe(1);
    expect(saved.updatedAt).toBe("2026-01-01T00:00:00.000Z");
    expect(saved.userStories[0]).toMatchObject({ id: "A", status: "passed", attempts: 1 });
  });

  test("a failed save throws STATE_WRITE_FAILED and leaves the previous file and memory intact", async () => {
    const path = join(dir, "prd.json");
    const real = createNodeFs();
    const failing: Fs = {
      ...real,
      writeAtomic: async () => {
        throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
      },
    };
    const store = createPrdStore(failing, path, parsePrd(original, path), () => "t");
    const error = await store.updateStory("A", (s) => ({ ...s, status: "passed" })).catch((e) => e);
    expect(isNaxError(error, "STATE_WRITE_FAILED")).toBe(true);
    expect(await readFile(path, "utf8")).toBe(original);
    expect(store.story("A").status).toBe("pending");
  });

  test("an update naming a story the PRD does not hold changes nothing, even with the others found", async () => {
    const path = join(dir, "prd.json");
    const store = createPrdStore(createNodeFs(), path, parsePrd(original, path), () => "t");
    const mutations = new Map([
      ["A", (s: ReturnType<typeof store.story>) => ({ ...s, status: "passed" as const })],
      ["US-404", (s: ReturnType<typeof store.story>) => s],
    ]);
    await expect(store.updateStories(mutations)).rejects.toThrow(`story US-404 is not in ${path}`);
    expect(await readFile(path, "utf8")).toBe(original);
    expect(store.story("A").status).toBe("pending");
  });

  test("each save serialises once and keeps its bytes: bytes() are exactly what the file holds", async () => {
    const path = join(dir, "prd.json");
    const real = createNodeFs();
    const writes: string[] = [];
    const counting: Fs = {
      ...real,
      writeAtomic: (to, content) => {
        writes.push(typeof content === "string" ? content : prdBytesText(content));
        return real.writeAtomic(to, content);
      },
    };
    const store = createPrdStore(counting, path, parsePrd(original, path), () => "t");
    await store.updateStory("A", (s) => ({ ...s, status: "in-progress" }));
    await store.updateStory("A", (s) => ({ ...s, status: "passed" }));
    expect(writes).toHaveLength(2);
    expect(prdBytesText(store.bytes())).toBe(await readFile(path, "utf8"));
    expect(prdBytesText(store.bytes())).toBe(writes[1] as string);
  });

  test("no save starts while an exclusive task runs, and a failing task does not stop later saves", async () => {
    const path = join(dir, "prd.json");
    const store = createPrdStore(createNodeFs(), path, parsePrd(original, path), () => "t");
    const release = Promise.withResolvers<void>();
    const seen: string[] = [];
    const task = store.exclusive(async () => {
      await release.promise;
      seen.push(JSON.parse(await readFile(path, "utf8")).userStories[0].status ?? "pending");
    });
    const save = store.updateStory("A", (s) => ({ ...s, status: "passed" }));
    release.resolve();
    await Promise.all([task, save]);
    expect(seen).toEqual(["pending"]);
    await expect(store.exclusive(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await store.updateStory("A", (s) => ({ ...s, status: "failed" }));
    expect(JSON.parse(await readFile(path, "utf8")).userStories[0].status).toBe("failed");
  });
});
