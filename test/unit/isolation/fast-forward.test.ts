import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGitRunner } from "../../../src/git/run-git";
import { fastForwardCheckout } from "../../../src/isolation/fast-forward";
import { createWorktreeGit } from "../../../src/isolation/worktree-git";
import { createSys } from "../../../src/system/sys";

let dir: string;
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: tmpdir() };
const git = (...args: string[]) => {
  const out = spawnSync("git", args, { cwd: dir, env, encoding: "utf8" });
  if (out.status !== 0) throw new Error(`git ${args.join(" ")}: ${out.stderr}`);
  return out.stdout.trim();
};
const sys = createSys({ env, naxHome: tmpdir() });
const runner = createGitRunner({ spawn: sys.spawn, env });
const deps = { git: runner, wt: createWorktreeGit(runner), fs: sys.fs };
let target: string;
let start: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "nax-ff-"));
  git("init", "-q", "-b", "main");
  git("config", "user.name", "t");
  git("config", "user.email", "t@example.com");
  await writeFile(join(dir, "a.txt"), "a0\n");
  await writeFile(join(dir, "gone.txt"), "old\n");
  await writeFile(join(dir, "prd.json"), "{}\n");
  git("add", "-A");
  git("commit", "-q", "-m", "initial");
  start = git("rev-parse", "HEAD");
  // The integration branch: a.txt changed, gone.txt deleted, new.txt added, the PRD updated.
  git("checkout", "-q", "-b", "integration");
  await writeFile(join(dir, "a.txt"), "a1\n");
  await writeFile(join(dir, "new.txt"), "new\n");
  await writeFile(join(dir, "prd.json"), '{"v":1}\n');
  git("rm", "-q", "gone.txt");
  git("add", "-A");
  git("commit", "-q", "-m", "story");
  target = git("rev-parse", "HEAD");
  git("checkout", "-q", "main");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ff = () =>
  fastForwardCheckout(deps, { workdir: dir, branch: "main", target, targetRef: "integration", owned: ["prd.json"] });
const read = (path: string) => readFile(join(dir, path), "utf8");

describe("fastForwardCheckout", () => {
  test("a clean checkout is brought to the target: files written, deleted ones removed, status clean", async () => {
    expect(await ff()).toEqual({ kind: "updated" });
    expect(git("rev-parse", "main")).toBe(target);
    expect(await read("a.txt")).toBe("a1\n");
    expect(await read("new.txt")).toBe("new\n");
    expect(await Bun.file(join(dir, "gone.txt")).exists()).toBe(false);
    expect(git("status", "--porcelain")).toBe("");
  });

  test("an uncommitted edit of a file the target changes blocks it, and nothing is touched", async () => {
    await writeFile(join(dir, "a.txt"), "mine\n");
    const result = await ff();
    expect(result).toMatchObject({
      kind: "blocked",
      command: "git stash && git merge --ff-only integration && git stash pop",
    });
    expect(await read("a.txt")).toBe("mine\n");
    expect(git("rev-parse", "main")).toBe(start);
    expect(await Bun.file(join(dir, "new.txt")).exists()).toBe(false);
  });

  test("an untracked file where the target adds one blocks it unless it already holds the target's content", async () => {
    await writeFile(join(dir, "new.txt"), "mine\n");
    expect((await ff()).kind).toBe("blocked");
    expect(await read("new.txt")).toBe("mine\n");
    await writeFile(join(dir, "new.txt"), "new\n");
    expect((await ff()).kind).toBe("updated");
    expect(git("status", "--porcelain")).toBe("");
  });

  test("an edit of an unrelated file stays as it was, uncommitted", async () => {
    await writeFile(join(dir, "notes.md"), "my notes\n");
    expect((await ff()).kind).toBe("updated");
    expect(await read("notes.md")).toBe("my notes\n");
    expect(git("status", "--porcelain")).toBe("?? notes.md");
  });

  test("a path nax owns is updated and then given back the bytes nax last wrote", async () => {
    await writeFile(join(dir, "prd.json"), '{"v":2}\n');
    expect((await ff()).kind).toBe("updated");
    expect(await read("prd.json")).toBe('{"v":2}\n');
    expect(git("rev-parse", "main")).toBe(target);
  });

  test("a checkout on another branch, or a branch with commits of its own, is never moved", async () => {
    git("checkout", "-q", "-b", "elsewhere");
    expect(await ff()).toMatchObject({
      kind: "blocked",
      command: "git checkout main && git merge --ff-only integration",
    });
    git("checkout", "-q", "main");
    await writeFile(join(dir, "b.txt"), "b\n");
    git("add", "b.txt");
    git("commit", "-q", "-m", "the user's own commit");
    const own = git("rev-parse", "HEAD");
    expect(await ff()).toMatchObject({ kind: "blocked", command: "git merge integration" });
    expect(git("rev-parse", "main")).toBe(own);
  });
});

describe("fastForwardCheckout: nax's own bytes and a branch named by the PRD", () => {
  test("an owned file whose bytes are the target's is written with the rest, and the index ends clean", async () => {
    await writeFile(join(dir, "prd.json"), '{"v":1}\n');
    const result = await fastForwardCheckout(deps, {
      workdir: dir,
      branch: "main",
      target,
      targetRef: "integration",
      owned: ["prd.json"],
      current: ["prd.json"],
    });
    expect(result).toEqual({ kind: "updated" });
    expect(await read("prd.json")).toBe('{"v":1}\n');
    expect(await read("a.txt")).toBe("a1\n");
    expect(git("status", "--porcelain")).toBe("");
  });

  test("named by the PRD while the checkout is on another branch: only that branch moves, no file is touched", async () => {
    git("checkout", "-q", "-b", "elsewhere");
    const named = { workdir: dir, branch: "main", target, targetRef: "integration", owned: [], named: true };
    expect(await fastForwardCheckout(deps, named)).toEqual({ kind: "updated" });
    expect(git("rev-parse", "main")).toBe(target);
    expect(git("rev-parse", "HEAD")).toBe(start);
    expect(await read("a.txt")).toBe("a0\n");
    expect(git("status", "--porcelain")).toBe("");
    expect(await fastForwardCheckout(deps, named)).toEqual({ kind: "up-to-date" });
  });

  test("named by the PRD but checked out in another worktree: never moved under that worktree's files", async () => {
    git("checkout", "-q", "-b", "elsewhere");
    const other = `${dir}-other`;
    git("worktree", "add", "-q", other, "main");
    try {
      const result = await fastForwardCheckout(deps, {
        workdir: dir,
        branch: "main",
        target,
        targetRef: "integration",
        owned: [],
        named: true,
      });
      expect(result).toMatchObject({ kind: "blocked", command: `git -C ${other} merge --ff-only integration` });
      expect(git("rev-parse", "main")).toBe(start);
    } finally {
      git("worktree", "remove", "--force", other);
    }
  });
});
