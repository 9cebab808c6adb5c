import { afterAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createGitRunner } from "../../../src/git/run-git";
import { createProcessGroups } from "../../../src/system/process-groups";
import { createSpawner } from "../../../src/system/spawn";
import { createSessionChanges, parseNameStatus } from "../../../src/tdd/session-changes";

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

async function repo() {
  const root = await mkdtemp(join(tmpdir(), "nax-session-changes-"));
  roots.push(root);
  const env = {
    PATH: process.env.PATH,
    HOME: root,
    GIT_CONFIG_GLOBAL: join(root, "gitconfig"),
    GIT_CONFIG_NOSYSTEM: "1",
  };
  const git = createGitRunner({ spawn: createSpawner(createProcessGroups()), env });
  const dir = join(root, "repo");
  await mkdir(dir);
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  };
  await git(dir, ["init", "-q", "-b", "main"]);
  for (const [k, v] of [
    ["user.name", "T"],
    ["user.email", "t@example.com"],
    ["commit.gpgsign", "false"],
  ]) {
    await git(dir, ["config", k as string, v as string]);
  }
  await write("src/a.ts", "export const a = 1;\n".repeat(20));
  await write("src/gone.ts", "export const g = 1;\n");
  await write("test/a.test.ts", "test\n");
  await git(dir, ["add", "-A"]);
  await git(dir, ["commit", "-q", "-m", "base"]);
  const base = (await git(dir, ["rev-parse", "HEAD"])).stdout.trim();
  return { dir, git, write, base };
}

describe("session changes", () => {
  test("name-status output with renames keeps both names", () => {
    expect(parseNameStatus("M\0src/a.ts\0R091\0old.ts\0new.ts\0D\0x.ts\0A\0y.ts\0")).toEqual([
      { path: "src/a.ts", kind: "modified" },
      { path: "new.ts", kind: "renamed", from: "old.ts" },
      { path: "x.ts", kind: "deleted" },
      { path: "y.ts", kind: "added" },
    ]);
  });

  test("committed, uncommitted, deleted, renamed and untracked changes are all seen, nax's runtime files are not", async () => {
    const { dir, git, write, base } = await repo();
    await write("test/a.test.ts", "changed\n");
    await git(dir, ["mv", "src/a.ts", "src/b.ts"]);
    await git(dir, ["rm", "-q", "src/gone.ts"]);
    await git(dir, ["commit", "-q", "-m", "agent committed this itself"]);
    await write("src/untracked.ts", "x\n");
    await write("nax/status.json", "{}\n");
    await write("nax.lock", "{}\n");
    const changes = await createSessionChanges(git)(dir, base);
    expect(changes).toContainEqual({ path: "test/a.test.ts", kind: "modified" });
    expect(changes).toContainEqual({ path: "src/b.ts", kind: "renamed", from: "src/a.ts" });
    expect(changes).toContainEqual({ path: "src/gone.ts", kind: "deleted" });
    expect(changes).toContainEqual({ path: "src/untracked.ts", kind: "untracked" });
    expect(changes.map((c) => c.path)).not.toContain("nax/status.json");
    expect(changes.map((c) => c.path)).not.toContain("nax.lock");
  });
});
