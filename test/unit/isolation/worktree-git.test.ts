import { describe, expect, test } from "bun:test";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGitRunner } from "../../../src/git/run-git";
import { createWorktreeGit, parseStatusV2, worktreeAdminDir } from "../../../src/isolation/worktree-git";
import { createProcessGroups } from "../../../src/system/process-groups";
import { createSpawner } from "../../../src/system/spawn";

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe("parseStatusV2", () => {
  test("reads HEAD, the branch and every changed, unmerged or untracked path, spaces included", () => {
    const text = [
      "# branch.oid 0123456789abcdef0123456789abcdef01234567",
      "# branch.head main",
      "1 .M N... 100644 100644 100644 aaaa bbbb src/a file.ts",
      "u UU N... 100644 100644 100644 100644 aaaa bbbb cccc src/conflict.ts",
      "? notes/new one.md",
      "",
    ].join("\0");
    expect(parseStatusV2(text)).toEqual({
      head: "0123456789abcdef0123456789abcdef01234567",
      branch: "main",
      dirty: ["src/a file.ts", "src/conflict.ts", "notes/new one.md"],
    });
  });

  test("a detached HEAD has no branch, and a repository without commits no head", () => {
    expect(parseStatusV2("# branch.oid (initial)\0# branch.head (detached)\0")).toEqual({
      head: undefined,
      branch: undefined,
      dirty: [],
    });
  });
});

/** A repository under `root` with one commit, and the worktree plumbing over a real git. */
async function committedRepo(root: string) {
  const env = { PATH: process.env.PATH, HOME: root, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
  const git = createGitRunner({ spawn: createSpawner(createProcessGroups()), env });
  const repo = join(root, "repo");
  await git(root, ["init", "-q", "-b", "main", repo]);
  await writeFile(join(repo, "a.txt"), "a\n");
  await git(repo, ["add", "-A"]);
  await git(repo, ["-c", "user.name=T", "-c", "user.email=t@example.test", "commit", "-qm", "base"]);
  return { repo, git, wt: createWorktreeGit(git) };
}

describe("worktree changes from parallel lanes", () => {
  // Unserialised, git failed this about one run in three: `failed to read .git/worktrees/<x>/commondir`.
  test("concurrent adds of existing branches and removes in one repository all succeed", async () => {
    const root = await mkdtemp(join(tmpdir(), "nax-wt-race-"));
    try {
      const { repo, wt } = await committedRepo(root);
      const lanes = Array.from({ length: 6 }, (_, i) => i);
      for (let round = 0; round < 6; round++) {
        // `-B` on a branch that exists makes git read every other worktree's entry while the others are made.
        await Promise.all(
          lanes.map((i) =>
            wt.addWorktree(repo, {
              path: join(root, `r${round}-${i}`),
              branch: `story-${i}`,
              base: "HEAD",
              reason: "test",
            }),
          ),
        );
        await Promise.all(
          lanes.map(async (i) => {
            await wt.unlock(repo, join(root, `r${round}-${i}`));
            expect(await wt.removeWorktree(repo, join(root, `r${round}-${i}`))).toBe(true);
          }),
        );
      }
      expect(await wt.listWorktrees(repo)).toHaveLength(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("unlock", () => {
  test("removes git's lock the way `git worktree unlock` does: git then lists it unlocked and removes it", async () => {
    const root = await mkdtemp(join(tmpdir(), "nax-wt-unlock-"));
    try {
      const { repo, wt } = await committedRepo(root);
      const path = join(root, "lane");
      await wt.addWorktree(repo, { path, branch: "story", base: "HEAD", reason: "a lane" });
      expect((await wt.listWorktrees(repo)).find((e) => e.path === path)?.locked).toBe(true);
      // Locked, git refuses the removal.
      expect(await wt.removeWorktree(repo, path)).toBe(false);
      expect(await worktreeAdminDir(path)).toStartWith(join(repo, ".git", "worktrees"));
      await wt.unlock(repo, path);
      expect((await wt.listWorktrees(repo)).find((e) => e.path === path)?.locked).toBe(false);
      expect(await wt.removeWorktree(repo, path)).toBe(true);
      // The main checkout's `.git` is a folder, not a worktree's file: there is nothing of nax's to unlock there.
      expect(await worktreeAdminDir(repo)).toBeUndefined();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("a checkout that leaves files out", () => {
  test("writes every file but those named, even names gitignore reads as patterns; git sees no change and can remove it", async () => {
    const root = await mkdtemp(join(tmpdir(), "nax-wt-leave-out-"));
    try {
      const { repo, wt, git } = await committedRepo(root);
      // `a[b]*.txt` as a pattern would match `ab.txt` too; `#` and a leading `!` mean something to gitignore.
      for (const name of ["a[b]*.txt", "ab.txt", "#note !x.txt"]) await writeFile(join(repo, name), `${name}\n`);
      await git(repo, ["add", "-A"]);
      await git(repo, ["-c", "user.name=T", "-c", "user.email=t@example.test", "commit", "-qm", "more"]);
      const path = join(root, "lane");
      await wt.addWorktree(repo, { path, branch: "story", base: "HEAD", reason: "a lane" }, [
        "a[b]*.txt",
        "#note !x.txt",
      ]);
      expect(await exists(join(path, "a[b]*.txt"))).toBe(false);
      expect(await exists(join(path, "#note !x.txt"))).toBe(false);
      expect(await exists(join(path, "ab.txt"))).toBe(true);
      expect(await exists(join(path, "a.txt"))).toBe(true);
      expect(await wt.uncommittedPaths(path)).toEqual([]);
      const flags = (await git(path, ["ls-files", "-v"])).stdout;
      expect(flags).toContain("S a[b]*.txt");
      expect(flags).toContain("H ab.txt");
      await wt.unlock(repo, path);
      expect(await wt.removeWorktree(repo, path)).toBe(true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
