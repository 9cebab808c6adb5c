import { afterEach, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createNodeFs } from "../../../src/system/fs";

const fs = createNodeFs();
const roots: string[] = [];

afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

async function tempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "nax-fs-"));
  roots.push(root);
  return root;
}

describe("createNodeFs", () => {
  test("isSymlink sees a link itself, not what it points to; a folder or a missing path is not a link", async () => {
    const root = await tempRoot();
    await mkdir(join(root, "real"));
    await symlink(join(root, "real"), join(root, "link"));
    expect(await fs.isSymlink(join(root, "link"))).toBe(true);
    expect(await fs.isSymlink(join(root, "real"))).toBe(false);
    expect(await fs.isSymlink(join(root, "missing"))).toBe(false);
  });

  test("writeAtomic creates missing folders, replaces the file whole, and leaves no temp file behind", async () => {
    const root = await tempRoot();
    const path = join(root, "a", "b", "status.json");
    await fs.writeAtomic(path, "first\n");
    await fs.writeAtomic(path, "second\n");
    expect(await readFile(path, "utf8")).toBe("second\n");
    expect(await readdir(join(root, "a", "b"))).toEqual(["status.json"]);
  });

  test("writeAtomic from chunks writes them in order, past one writev's 1,024 buffers, into missing folders", async () => {
    const root = await tempRoot();
    const path = join(root, "a", "prd.json");
    const pieces = Array.from({ length: 2500 }, (_, i) => `${i},é;`);
    await fs.writeAtomic(path, "old\n");
    await fs.writeAtomic(
      path,
      pieces.map((piece) => fs.encode(piece)),
    );
    expect(await readFile(path, "utf8")).toBe(pieces.join(""));
    expect(await readdir(join(root, "a"))).toEqual(["prd.json"]);
    await fs.writeAtomic(join(root, "new", "empty.json"), []);
    expect(await readFile(join(root, "new", "empty.json"), "utf8")).toBe("");
  });

  test("appendText creates missing folders and then appends in order", async () => {
    const root = await tempRoot();
    const path = join(root, "runs", "run-1.jsonl");
    await fs.appendText(path, "one\n");
    await fs.appendText(path, "two\n");
    expect(await readFile(path, "utf8")).toBe("one\ntwo\n");
  });

  test("readTextFrom returns the text after a byte offset and the size; a missing file is undefined", async () => {
    const path = join(await tempRoot(), "log.jsonl");
    expect(await fs.readTextFrom(path, 0)).toBeUndefined();
    await fs.appendText(path, "é1\n");
    await fs.appendText(path, "two\n");
    expect(await fs.readTextFrom(path, 0)).toEqual({ text: "é1\ntwo\n", size: 8 });
    expect(await fs.readTextFrom(path, 4)).toEqual({ text: "two\n", size: 8 });
    expect(await fs.readTextFrom(path, 8)).toEqual({ text: "", size: 8 });
  });

  test("a write whose folder is a file fails with the error, and leaves nothing behind", async () => {
    const root = await tempRoot();
    await writeFile(join(root, "not-a-folder"), "x");
    const path = join(root, "not-a-folder", "status.json");
    await expect(fs.writeAtomic(path, "{}")).rejects.toMatchObject({ code: "ENOTDIR" });
    await expect(fs.appendText(path, "{}")).rejects.toMatchObject({ code: "ENOTDIR" });
    expect(await readdir(root)).toEqual(["not-a-folder"]);
  });
});
