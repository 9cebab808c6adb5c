/**
 * `branchName` in prd.json names the branch the run works on (ADR 004): the
 * integration branch starts from it (it is created at the checkout's HEAD
 * when it does not exist) and the passed stories are brought to it. A
 * checkout on that branch is fast-forwarded as usual; a checkout on another
 * branch is left exactly as it was, and only the named branch moves.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { createTestProject, exists, type TestProject } from "../helpers/project";
import { readStories } from "../helpers/read-run";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const write = (path: string, content: string) => ({ write: { path, content } });

async function named(branchName: string): Promise<TestProject> {
  const made = await createTestProject({
    stories: [
      { id: "US-001", title: "one" },
      { id: "US-002", title: "two" },
    ],
    config: { quality: { commands: { test: "true" } } },
    script: {
      sessions: [
        { match: "# Task: US-001", actions: [write("src/one.txt", "1\n")] },
        { match: "# Task: US-002", actions: [write("src/two.txt", "2\n")] },
      ],
    },
  });
  const prdPath = "nax/features/demo/prd.json";
  const prd = await made.readJson(prdPath);
  await made.writeText(prdPath, `${JSON.stringify({ ...prd, branchName }, null, 2)}\n`);
  made.git(["commit", "-q", "-am", "name the branch"]);
  return made;
}

const subjects = (p: TestProject, ref: string) => p.git(["log", "--format=%s", ref]).trim().split("\n");

describe("branchName: the branch the run works on", () => {
  test("a branch that does not exist is made at HEAD and receives the stories; the checkout on main is left as it was", async () => {
    project = await named("feat/demo");
    const p = project;
    const main = p.git(["rev-parse", "main"]).trim();
    const result = await p.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("the PRD's branchName feat/demo did not exist: it was created at main");
    expect(subjects(p, "feat/demo").slice(0, 3)).toEqual(["feat(US-002): two", "feat(US-001): one", "name the branch"]);
    expect(p.git(["rev-parse", "main"]).trim()).toBe(main);
    expect(p.git(["symbolic-ref", "--short", "HEAD"]).trim()).toBe("main");
    expect(await exists(join(p.dir, "src/one.txt"))).toBe(false);
    // The PRD nax keeps writing is the only change in the checkout; the stories' states are on feat/demo.
    expect(p.git(["status", "--porcelain"]).trim()).toBe("M nax/features/demo/prd.json");
    expect((await readStories(p))["US-002"]).toMatchObject({ status: "passed" });
    expect(p.git(["branch", "--list", "nax/demo/*"]).trim()).toBe("");
  });

  test("a checkout already on the named branch is fast-forwarded as any run's branch is", async () => {
    project = await named("feat/demo");
    const p = project;
    p.git(["checkout", "-q", "-b", "feat/demo"]);
    const result = await p.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    expect(subjects(p, "HEAD").slice(0, 2)).toEqual(["feat(US-002): two", "feat(US-001): one"]);
    expect(await exists(join(p.dir, "src/two.txt"))).toBe(true);
    expect(p.git(["status", "--porcelain"])).toBe("");
  });

  test("an existing named branch elsewhere is where the run starts from, and only it moves", async () => {
    project = await named("feat/demo");
    const p = project;
    p.git(["checkout", "-q", "-b", "feat/demo"]);
    await p.writeText("base.txt", "on feat/demo only\n");
    p.git(["add", "base.txt"]);
    p.git(["commit", "-q", "-m", "feat/demo's own commit"]);
    p.git(["checkout", "-q", "main"]);
    const result = await p.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    expect(subjects(p, "feat/demo").slice(0, 3)).toEqual([
      "feat(US-002): two",
      "feat(US-001): one",
      "feat/demo's own commit",
    ]);
    expect(await exists(join(p.dir, "base.txt"))).toBe(false);
  });

  test("a branchName that clashes with nax's own branches is refused before anything is written", async () => {
    project = await named("nax/demo");
    const p = project;
    const before = await p.snapshot();
    const result = await p.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('branchName: "nax/demo" clashes with nax\'s own branches of this feature');
    expect(await p.snapshot()).toEqual(before);
  });
});
