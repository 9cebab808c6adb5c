/**
 * HEAD read from git's files (src/git/ref-files.ts) agrees with `git rev-parse` in every plain case, and
 * answers undefined (so the caller asks git) wherever it cannot be sure: never a stale or guessed sha.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { headFromFiles } from "../../../src/git/ref-files";

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});
const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };

function git(cwd: string, ...args: string[]): string {
  const out = spawnSync("git", ["-c", "user.name=T", "-c", "user.email=t@example.test", ...args], { cwd, env });
  if (out.status !== 0) throw new Error(`git ${args.join(" ")}: ${out.stderr}`);
  return out.stdout.toString().trim();
}

async function repo(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "nax-ref-files-"));
  roots.push(root);
  git(root, "init", "-q", "-b", "main");
  await writeFile(join(root, "a.txt"), "a\n");
  git(root, "add", "-A");
  git(root, "commit", "-qm", "one");
  return root;
}

describe("HEAD from git's files", () => {
  test("a checkout and a linked worktree on a branch: the same sha git gives, also right after a commit", async () => {
    const root = await repo();
    expect(await headFromFiles(root)).toBe(git(root, "rev-parse", "HEAD"));
    const worktree = join(root, "..", `${root.split("/").pop()}-wt`);
    roots.push(worktree);
    git(root, "worktree", "add", "-q", "-b", "story", worktree);
    await writeFile(join(worktree, "b.txt"), "b\n");
    git(worktree, "add", "-A");
    git(worktree, "commit", "-qm", "two");
    expect(await headFromFiles(worktree)).toBe(git(worktree, "rev-parse", "HEAD"));
    expect(await headFromFiles(worktree)).not.toBe(await headFromFiles(root));
  });

  test("a detached HEAD gives its sha", async () => {
    const root = await repo();
    git(root, "checkout", "-q", "--detach");
    expect(await headFromFiles(root)).toBe(git(root, "rev-parse", "HEAD"));
  });

  test("a packed-only branch, a subfolder, a repository with no commits and a non-repository leave it to git", async () => {
    const packed = await repo();
    git(packed, "pack-refs", "--all");
    expect(await headFromFiles(packed)).toBeUndefined();
    await mkdir(join(packed, "sub"));
    expect(await headFromFiles(join(packed, "sub"))).toBeUndefined();
    const empty = await mkdtemp(join(tmpdir(), "nax-ref-files-"));
    roots.push(empty);
    git(empty, "init", "-q");
    expect(await headFromFiles(empty)).toBeUndefined();
    const plain = await mkdtemp(join(tmpdir(), "nax-ref-files-"));
    roots.push(plain);
    expect(await headFromFiles(plain)).toBeUndefined();
  });

  test("a ref file that does not hold a sha is not trusted", async () => {
    const root = await repo();
    await writeFile(join(root, ".git", "refs", "heads", "main"), "ref: refs/heads/elsewhere\n");
    expect(await headFromFiles(root)).toBeUndefined();
  });
});
