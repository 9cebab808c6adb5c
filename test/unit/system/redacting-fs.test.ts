import { afterAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createNodeFs } from "../../../src/system/fs";
import { createRedactingFs } from "../../../src/system/redacting-fs";
import { createRedactor } from "../../../src/system/secrets";

const SECRET = "ghp_redacting_fs_0123456789";
const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

describe("createRedactingFs", () => {
  test("atomic writes, exclusive creates and appends all reach the disk redacted; reads are untouched", async () => {
    const root = await mkdtemp(join(tmpdir(), "nax-redacting-fs-"));
    roots.push(root);
    const fs = createRedactingFs(createNodeFs(), createRedactor({ GITHUB_TOKEN: SECRET }));
    await fs.writeAtomic(join(root, "a.json"), JSON.stringify({ priorFailures: [`token ${SECRET}`] }));
    expect(await fs.createExclusive(join(root, "b.lock"), `${SECRET}\n`)).toBe(true);
    await fs.appendText(join(root, "c.jsonl"), `${SECRET}\n`);
    await fs.appendText(join(root, "c.jsonl"), `again ${SECRET}\n`);
    expect(JSON.parse(await readFile(join(root, "a.json"), "utf8"))).toEqual({ priorFailures: ["token [redacted]"] });
    expect(await readFile(join(root, "b.lock"), "utf8")).toBe("[redacted]\n");
    expect(await fs.readText(join(root, "c.jsonl"))).toBe("[redacted]\nagain [redacted]\n");
    expect((await fs.readdir(root)).sort()).toEqual(["a.json", "b.lock", "c.jsonl"]);
  });

  test("chunks are redacted: its own encode's when encoded, any other chunk when written", async () => {
    const root = await mkdtemp(join(tmpdir(), "nax-redacting-fs-"));
    roots.push(root);
    const node = createNodeFs();
    const fs = createRedactingFs(node, createRedactor({ GITHUB_TOKEN: SECRET }));
    const own = fs.encode(`{"reason": "token ${SECRET}"}`);
    expect(Buffer.from(own).toString("utf8")).toBe('{"reason": "token [redacted]"}');
    // Bytes made without the redactor (the plain fs's encode): the write redacts them.
    const foreign = node.encode(`, "again ${JSON.stringify(SECRET).slice(1, -1)}"`);
    await fs.writeAtomic(join(root, "prd.json"), [own, foreign]);
    expect(await readFile(join(root, "prd.json"), "utf8")).toBe('{"reason": "token [redacted]"}, "again [redacted]"');
  });

  test("with nothing to redact it is the file system itself", () => {
    const fs = createNodeFs();
    expect(createRedactingFs(fs, createRedactor({}))).toBe(fs);
  });
});
