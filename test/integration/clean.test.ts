/**
 * `nax clean` in temp git repos: leftovers nax made (worktrees under
 * NAX_HOME, `nax/<feature>/*` branches, attempt refs) are removed only when
 * they hold nothing unmerged; a dirty worktree, an unmerged branch and every
 * attempt ref are kept and named unless `--force`, `--dry-run` changes
 * nothing, and a live run's lock refuses the whole command (exit 3).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { storyWorktreePath, worktreeRoot } from "../../src/isolation/names";
import { createTestProject, exists, type TestProject } from "../helpers/project";
import { writeLock } from "../helpers/state-fixtures";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

async function setUp(): Promise<TestProject> {
  project = await createTestProject({ stories: [{ id: "US-001" }, { id: "US-002" }, { id: "US-003" }] });
  return project;
}

/** A locked worktree on `nax/demo/<story>` cut from HEAD, as a killed run leaves it. */
function leftoverWorktree(p: TestProject, storyId: string): string {
  const path = storyWorktreePath(worktreeRoot(p.home, p.dir), "demo", storyId, 1);
  p.git(["worktree", "add", "-q", "--lock", "--reason", "nax run x", "-b", `nax/demo/${storyId}`, path, "HEAD"]);
  return path;
}

/** A commit on top of HEAD that no branch holds. */
function strayCommit(p: TestProject, message: string): string {
  const tree = p.git(["rev-parse", "HEAD^{tree}"]).trim();
  return p.git(["commit-tree", tree, "-p", "HEAD", "-m", message]).trim();
}

const refExists = (p: TestProject, ref: string) => {
  try {
    p.git(["rev-parse", "--verify", "-q", ref]);
    return true;
  } catch {
    // rev-parse exits 1 for a missing ref: that is the answer.
    return false;
  }
};

describe("nax clean", () => {
  test("removes a clean leftover worktree and keeps a dirty one, naming its uncommitted file", async () => {
    const p = await setUp();
    const clean = leftoverWorktree(p, "US-001");
    const dirty = leftoverWorktree(p, "US-002");
    await writeFile(join(dirty, "wip.txt"), "unsaved work\n");
    const result = await p.nax(["clean"]);
    expect(result.code).toBe(0);
    expect(await exists(clean)).toBe(false);
    expect(await exists(join(dirty, "wip.txt"))).toBe(true);
    expect(result.out).toContain(`kept: worktree ${dirty}`);
    expect(result.out).toContain("wip.txt");
    // The clean worktree's branch held nothing beyond HEAD: deleted; the dirty one's branch stays with it.
    expect(refExists(p, "refs/heads/nax/demo/US-001")).toBe(false);
    expect(refExists(p, "refs/heads/nax/demo/US-002")).toBe(true);
  });

  test("a worktree a run was killed making (added, never checked out) is removed, and kept when someone put a file in it", async () => {
    const p = await setUp();
    const half = (storyId: string) => {
      const path = storyWorktreePath(worktreeRoot(p.home, p.dir), "demo", storyId, 1);
      p.git(["worktree", "add", "-q", "--lock", "--no-checkout", "-b", `nax/demo/${storyId}`, path, "HEAD"]);
      return path;
    };
    const empty = half("US-001");
    const used = half("US-002");
    await writeFile(join(used, "notes.txt"), "mine\n");
    // Planned, not done: --dry-run writes nothing, not even the checkout it would finish.
    const dry = await p.nax(["clean", "--dry-run"]);
    expect(dry.out).toContain(`remove worktree ${empty} (never checked out`);
    expect(await exists(join(empty, "nax", "features", "demo", "prd.json"))).toBe(false);
    const result = await p.nax(["clean"]);
    expect(result.code).toBe(0);
    expect(await exists(empty)).toBe(false);
    expect(refExists(p, "refs/heads/nax/demo/US-001")).toBe(false);
    expect(result.out).toContain(`kept: worktree ${used}`);
    expect(result.out).toContain("notes.txt");
    expect(await exists(join(used, "notes.txt"))).toBe(true);
  });

  test("deletes a merged nax branch and keeps an unmerged one, naming it", async () => {
    const p = await setUp();
    p.git(["branch", "nax/demo/US-001", "HEAD"]);
    p.git(["branch", "nax/demo/US-002", strayCommit(p, "unmerged work")]);
    // In the integration branch but not in the user's: merged.
    p.git(["branch", "nax/demo/integration", strayCommit(p, "integrated story")]);
    p.git(["branch", "nax/demo/US-003", "nax/demo/integration"]);
    const result = await p.nax(["clean", "-f", "demo"]);
    expect(result.code).toBe(0);
    expect(refExists(p, "refs/heads/nax/demo/US-001")).toBe(false);
    expect(refExists(p, "refs/heads/nax/demo/US-003")).toBe(false);
    expect(refExists(p, "refs/heads/nax/demo/US-002")).toBe(true);
    expect(refExists(p, "refs/heads/nax/demo/integration")).toBe(true);
    expect(result.out).toContain("kept: branch nax/demo/US-002");
    expect(result.out).toContain("kept: branch nax/demo/integration");
  });

  test("keeps attempt refs without --force and deletes them with it, saying which ref at which commit", async () => {
    const p = await setUp();
    const sha = strayCommit(p, "failed attempt");
    p.git(["update-ref", "refs/nax/attempts/demo/US-001/1", sha]);
    const dirty = leftoverWorktree(p, "US-002");
    await writeFile(join(dirty, "wip.txt"), "unsaved work\n");
    const kept = await p.nax(["clean"]);
    expect(kept.code).toBe(0);
    expect(refExists(p, "refs/nax/attempts/demo/US-001/1")).toBe(true);
    expect(kept.out).toContain("kept: attempt refs/nax/attempts/demo/US-001/1");

    const forced = await p.nax(["clean", "--force"]);
    expect(forced.code).toBe(0);
    expect(refExists(p, "refs/nax/attempts/demo/US-001/1")).toBe(false);
    expect(forced.out).toContain(`delete refs/nax/attempts/demo/US-001/1 at ${sha}`);
    expect(forced.out).toContain(`remove worktree ${dirty}, DISCARDING its uncommitted wip.txt`);
    expect(await exists(dirty)).toBe(false);
  });

  test("--dry-run lists what it would remove and changes nothing", async () => {
    const p = await setUp();
    const clean = leftoverWorktree(p, "US-001");
    p.git(["branch", "nax/demo/US-003", "HEAD"]);
    p.git(["update-ref", "refs/nax/attempts/demo/US-002/1", strayCommit(p, "failed attempt")]);
    const refsBefore = p.git(["for-each-ref"]);
    const before = await p.snapshot();
    const result = await p.nax(["clean", "--force", "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`would remove worktree ${clean}`);
    expect(result.out).toContain("would delete merged branch nax/demo/US-003");
    expect(result.out).toContain("would delete refs/nax/attempts/demo/US-002/1");
    expect(p.git(["for-each-ref"])).toBe(refsBefore);
    expect(await p.snapshot()).toEqual(before);
  });

  test("refuses with exit 3 while a live run holds the lock, and removes nothing", async () => {
    const p = await setUp();
    const clean = leftoverWorktree(p, "US-001");
    await writeLock(p.dir, { pid: process.pid, hostname: p.sys.hostname });
    const result = await p.nax(["clean"]);
    expect(result.code).toBe(3);
    expect(result.err).toContain("refusing to clean while a run holds the lock");
    expect(await exists(clean)).toBe(true);
  });

  test("says there is nothing to clean in a project nax left nothing in", async () => {
    const p = await setUp();
    const result = await p.nax(["clean"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("nothing of nax's to clean");
  });
});
