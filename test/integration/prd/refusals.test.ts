/**
 * A PRD that cannot be worked on is refused before anything is written (no
 * lock, no status, no registry entry, no agent session): no stories, the
 * untouched `nax features create` template, a story without acceptance
 * criteria. A story key one typo away from a known key is a warning shown
 * before any session starts, and by `--dry-run`; the key is kept.
 */
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { createTestProject, exists, type TestProject } from "../../helpers/project";

setDefaultTimeout(60_000);

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const PRD = "nax/features/demo/prd.json";

async function start(stories?: Record<string, unknown>[]): Promise<TestProject> {
  project = await createTestProject({
    stories: stories ?? [{ id: "US-001", title: "one" }],
    config: { quality: { commands: { test: "true" } } },
    script: { default: { actions: [{ append: { path: "src/file.txt", content: "x\n" } }] } },
  });
  return project;
}

async function expectNothingWritten(p: TestProject): Promise<void> {
  expect(await exists(join(p.dir, "nax.lock"))).toBe(false);
  expect(await exists(join(p.dir, "nax/status.json"))).toBe(false);
  expect(await readdir(join(p.home, "runs")).catch(() => [])).toEqual([]);
  expect(await p.claudeCalls()).toEqual([]);
}

describe("PRDs a run refuses", () => {
  test('"userStories": [] is exit 2 with the reason, not "0/0 passed" with a registered run', async () => {
    const p = await start();
    await p.writeText(PRD, JSON.stringify({ project: "p", feature: "demo", userStories: [] }));
    const result = await p.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("userStories: the PRD has no stories");
    expect(result.out).not.toContain("0/0");
    await expectNothingWritten(p);
  });

  test("the untouched template from `nax features create` is refused: edit the template first", async () => {
    const p = await start();
    const created = await p.nax(["features", "create", "fresh"]);
    expect(created.code).toBe(0);
    const result = await p.nax(["run", "-f", "fresh"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("nax/features/fresh/prd.json: userStories[0] (US-001): still the template");
    expect(result.err).toContain("edit the template first");
    expect((await p.nax(["run", "-f", "fresh", "--dry-run"])).code).toBe(2);
    await expectNothingWritten(p);
  });

  test("the template writes no branchName: a new feature works on the checkout's branch until one is set", async () => {
    const p = await start();
    await p.nax(["features", "create", "fresh"]);
    const prd = await p.readJson("nax/features/fresh/prd.json");
    expect(prd).not.toHaveProperty("branchName");
  });

  test("a story without acceptance criteria is refused with its id", async () => {
    const p = await start();
    await p.writeText(
      PRD,
      JSON.stringify({
        project: "p",
        feature: "demo",
        userStories: [
          { id: "US-001", title: "one", acceptanceCriteria: ["it works"] },
          { id: "US-002", title: "two", acceptanceCriteria: [] },
        ],
      }),
    );
    const result = await p.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("userStories[1] (US-002).acceptanceCriteria: story US-002 has no acceptance criteria");
    await expectNothingWritten(p);
  });
});

describe("story key typos", () => {
  test("a key one typo away from a known one is a warning naming the story and the suggestion; the key is kept", async () => {
    const p = await start([
      { id: "US-001", title: "one" },
      { id: "US-002", title: "two", dependecies: ["US-001"], jiraTicket: "X-1" },
    ]);
    const dry = await p.nax(["run", "-f", "demo", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('userStories[1] (US-002): unknown key "dependecies"; did you mean "dependencies"?');
    expect(dry.out).not.toContain("jiraTicket");

    const run = await p.nax(["run", "-f", "demo"]);
    expect(run.code).toBe(0);
    const all = `${run.out}\n${run.err}`;
    const warned = all.indexOf('did you mean "dependencies"');
    expect(warned).toBeGreaterThanOrEqual(0);
    expect(warned).toBeLessThan(all.indexOf("US-001 started"));
    const prd = await p.readJson<{ userStories: Record<string, unknown>[] }>(PRD);
    expect(prd.userStories[1]).toMatchObject({ dependecies: ["US-001"], jiraTicket: "X-1" });
  });
});
