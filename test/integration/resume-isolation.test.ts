/**
 * Resuming after a killed run, with every attempt in its own worktree: the
 * interrupted attempt's work is in its worktree (adopted into an attempt
 * ref), so nothing in the user's checkout is stashed or touched; the story
 * goes back to pending and runs again.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { storyWorktreePath, worktreeRoot } from "../../src/isolation/names";
import { createTestProject, type TestProject } from "../helpers/project";
import { readStories } from "../helpers/read-run";
import { writeLiveStatus } from "../helpers/state-fixtures";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

/** One story that writes one file, with `files` committed; `project` is set for the cleanup. */
async function oneStoryProject(files: Record<string, string>): Promise<TestProject> {
  project = await createTestProject({
    stories: [{ id: "US-001", title: "one" }],
    files,
    config: { quality: { commands: { test: "true" } } },
    script: {
      sessions: [{ match: "# Task: US-001", actions: [{ write: { path: "src/one.txt", content: "1\n" } }] }],
    },
  });
  return project;
}

/** Where the run makes US-001's first worktree, its folder's parent made (what git needs before an add). */
async function firstWorktree(p: TestProject): Promise<string> {
  const tree = storyWorktreePath(worktreeRoot(p.home, p.dir), "demo", "US-001", 1);
  await mkdir(dirname(tree), { recursive: true });
  return tree;
}

describe("resuming a killed run under worktree isolation", () => {
  test("the user's uncommitted edit stays in the checkout, nothing is stashed, and the interrupted attempt's work is kept in its ref", async () => {
    const p = await oneStoryProject({ "notes.txt": "committed\n" });
    // What a kill -9 mid-attempt leaves: the story in progress, the live status still running, the
    // attempt's locked worktree holding half its work.
    const tree = await firstWorktree(p);
    p.git(["worktree", "add", "-q", "--lock", "-b", "nax/demo/US-001", tree, "HEAD"]);
    await writeFile(join(tree, "half.txt"), "half of US-001\n");
    const prdPath = "nax/features/demo/prd.json";
    const prd = await p.readJson<{ userStories: Record<string, unknown>[] }>(prdPath);
    prd.userStories = prd.userStories.map((s) => ({ ...s, status: "in-progress" }));
    await p.writeText(prdPath, `${JSON.stringify(prd, null, 2)}\n`);
    await writeLiveStatus(p.dir, { runId: "run-killed", feature: "demo", status: "running", current: null });
    // The user's own edit, made after the kill: theirs, not the attempt's.
    await p.writeText("notes.txt", "my edit\n");

    const result = await p.nax(["run", "-f", "demo", "--allow-dirty"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("US-001 was interrupted in run-killed");
    expect(p.git(["stash", "list"])).toBe("");
    expect(await readFile(join(p.dir, "notes.txt"), "utf8")).toBe("my edit\n");
    expect(p.git(["show", "refs/nax/attempts/demo/US-001/1:half.txt"])).toBe("half of US-001\n");
    expect((await readStories(p))["US-001"]).toMatchObject({ status: "passed" });
  });

  test("a worktree killed between its add and its checkout is finished and removed, holding no work, and no attempt ref is made", async () => {
    const p = await oneStoryProject({ "notes.txt": "committed\n", "lib/a.txt": "a\n" });
    // What a kill -9 between nax's `worktree add --no-checkout` and its checkout leaves (worktree-git.ts):
    // a locked worktree with no index and only part of the base's files written.
    const tree = await firstWorktree(p);
    p.git(["worktree", "add", "-q", "--lock", "--no-checkout", "-b", "nax/demo/US-001", tree, "HEAD"]);
    await writeFile(join(tree, "notes.txt"), "committed\n");

    const result = await p.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("it held no work");
    expect(p.git(["for-each-ref", "refs/nax/attempts/"])).toBe("");
    expect(p.git(["worktree", "list", "--porcelain"])).not.toContain(tree);
    expect((await readStories(p))["US-001"]).toMatchObject({ status: "passed" });
  });
});
