import { afterAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseNameStatus, parseRawNumstat } from "../../../src/git/file-changes";
import { createGit } from "../../../src/git/git";
import { createProcessGroups } from "../../../src/system/process-groups";
import { createRedactor } from "../../../src/system/secrets";
import { createSpawner } from "../../../src/system/spawn";

const spawn = createSpawner(createProcessGroups());
const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

async function sh(cwd: string, env: Record<string, string | undefined>, ...args: string[]): Promise<string> {
  const result = await spawn({ cmd: ["git", ...args], cwd, env });
  if (result.kind !== "exited" || result.exitCode !== 0) throw new Error(`git ${args.join(" ")} failed`);
  return result.stdout;
}

async function write(root: string, path: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

describe("the file-level diff against a base commit", () => {
  test("name-status entries become changes; a rename keeps its old path", () => {
    expect(
      parseNameStatus("M\0src/a.ts\0R087\0test/old.test.ts\0test/new.test.ts\0D\0test/gone.test.ts\0A\0b.ts\0"),
    ).toEqual([
      { status: "modified", path: "src/a.ts" },
      { status: "renamed", path: "test/new.test.ts", from: "test/old.test.ts" },
      { status: "deleted", path: "test/gone.test.ts" },
      { status: "added", path: "b.ts" },
    ]);
  });

  test("one `--raw --numstat` process gives both the changes and the line counts (a binary file counts none)", () => {
    const out = [
      ":000000 100644 0000000 bdc955b A\0bin.dat\0",
      ":100644 000000 975fbec 0000000 D\0d.txt\0",
      ":100644 100644 587be6b 0000000 M\0:odd name.txt\0",
      ":100644 100644 f9d9a01 f9d9a01 R100\0r.txt\0r2.txt\0",
      "-\t-\tbin.dat\0",
      "0\t1\td.txt\0",
      "3\t2\t:odd name.txt\0",
      "0\t0\t\0r.txt\0r2.txt\0",
    ].join("");
    expect(parseRawNumstat(out)).toEqual({
      changes: [
        { status: "added", path: "bin.dat" },
        { status: "deleted", path: "d.txt" },
        { status: "modified", path: ":odd name.txt" },
        { status: "renamed", path: "r2.txt", from: "r.txt" },
      ],
      insertions: 3,
      deletions: 3,
    });
  });

  test("a real worktree reports modified, deleted, renamed and untracked files, and a file's text at the base", async () => {
    const root = await mkdtemp(join(tmpdir(), "nax-file-changes-"));
    roots.push(root);
    const env = {
      PATH: process.env.PATH,
      HOME: root,
      GIT_CONFIG_GLOBAL: join(root, "gitconfig"),
      GIT_CONFIG_NOSYSTEM: "1",
    };
    await sh(root, env, "init", "-q", "-b", "main");
    const long = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    await write(root, "src/a.ts", "export const a = 1;\n");
    await write(root, "test/a.test.ts", `${long}\n`);
    await write(root, "test/b.test.ts", "test('b', () => {});\n");
    await sh(root, env, "add", "-A");
    await sh(root, env, "-c", "user.name=T", "-c", "user.email=t@example.test", "commit", "-q", "-m", "base");
    const base = (await sh(root, env, "rev-parse", "HEAD")).trim();
    await write(root, "src/a.ts", "export const a = 2;\n");
    await rm(join(root, "test/b.test.ts"));
    await sh(root, env, "mv", "test/a.test.ts", "src/a-notes.ts");
    await write(root, "test/new.test.ts", "test('new', () => {});\n");
    const git = createGit({ spawn, env, redactor: createRedactor({}) });
    expect(await git.fileChanges(root, base)).toEqual([
      { status: "renamed", path: "src/a-notes.ts", from: "test/a.test.ts" },
      { status: "modified", path: "src/a.ts" },
      { status: "deleted", path: "test/b.test.ts" },
      { status: "added", path: "test/new.test.ts" },
    ]);
    expect(await git.fileAt(root, base, "test/b.test.ts")).toBe("test('b', () => {});\n");
    expect(await git.fileAt(root, base, "test/new.test.ts")).toBeUndefined();
    // One line changed in src/a.ts; the rename is whole; the new untracked file counts as a file, its lines unknown to git.
    expect(await git.diffStat(root, base)).toMatchObject({ files: 4, insertions: 1 });
  });
});
