/**
 * Nothing unverified is called passed (trap 28, docs/traps.md). A project
 * whose config has no test command cannot produce a `passed` story: `nax run`
 * stops before anything is written (exit 2) naming the key and the fix, and
 * `--dry-run` warns the same way. Only the explicit opt-out
 * (`quality.requireTests: false`) lets a story pass, recorded as unverified in
 * prd.json, the status file, the commit trailer, `nax status -f` and the summary.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestProject, type TestProject } from "../helpers/project";
import { readStatus, readStories } from "../helpers/read-run";

const WRITE_FILE = { default: { actions: [{ write: { path: "src/done.txt", content: "done\n" } }] } };

describe("a project with no test command", () => {
  let project: TestProject;

  beforeAll(async () => {
    project = await createTestProject({ stories: [{ id: "US-001", title: "Write the file" }], script: WRITE_FILE });
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("nax run stops with exit 2 before anything is written, naming quality.commands.test in nax/config.json and how to set it", async () => {
    const before = await project.snapshot();
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("nax/config.json");
    expect(result.err).toContain("quality.commands.test is not set");
    expect(result.err).toContain('"test": "npm test"');
    expect(result.err).toContain('"requireTests": false');
    expect(await project.claudeCalls()).toHaveLength(0);
    expect(await project.snapshot()).toEqual(before);
    expect((await readStories(project))["US-001"]?.status).toBe("pending");
  });

  test("--dry-run warns the same way and still exits 0 with nothing written", async () => {
    const before = await project.snapshot();
    const result = await project.nax(["run", "-f", "demo", "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("warning: `nax run` would refuse to start");
    expect(result.out).toContain("quality.commands.test is not set");
    expect(await project.snapshot()).toEqual(before);
  });
});

describe("a project that turned tests off on purpose (requireTests: false)", () => {
  let project: TestProject;
  let code: number;
  let out: string;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "Write the file" }],
      config: { quality: { requireTests: false } },
      script: WRITE_FILE,
    });
    const run = await project.nax(["run", "-f", "demo"]);
    code = run.code;
    out = run.out;
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("the story passes, recorded as unverified in prd.json", async () => {
    expect(code).toBe(0);
    expect((await readStories(project))["US-001"]).toMatchObject({ status: "passed", verified: false });
  });

  test("the status file counts it as unverified and the run summary says so", async () => {
    expect((await readStatus(project)).progress).toMatchObject({ passed: 1, unverified: 1 });
    expect(out).toContain("1/1 passed (1 unverified)");
  });

  test("the story's commit carries the trailer Nax-Verified: no", () => {
    expect(project.git(["log", "-1", "--format=%B"])).toContain("Nax-Verified: no");
  });

  test("nax status -f shows the story as passed (unverified)", async () => {
    const status = await project.nax(["status", "-f", "demo"]);
    expect(status.out).toMatch(/US-001\s+passed \(unverified\)/);
  });

  test("--dry-run warns that stories would pass unverified", async () => {
    const dry = await project.nax(["run", "-f", "demo", "--dry-run"]);
    expect(dry.out).toContain("warning: stories would pass unverified");
  });
});

describe("a verified pass", () => {
  let project: TestProject;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "Write the file" }],
      config: { quality: { commands: { test: "test -f src/done.txt" } } },
      script: WRITE_FILE,
    });
    // The suite passes only once the story wrote src/done.txt: the base-suite precheck would refuse it.
    expect((await project.nax(["run", "-f", "demo", "--skip-precheck"])).code).toBe(0);
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("carries no unverified mark anywhere", async () => {
    const story = (await readStories(project))["US-001"];
    expect(story?.status).toBe("passed");
    expect(story).not.toHaveProperty("verified");
    expect((await readStatus(project)).progress).not.toHaveProperty("unverified");
    expect(project.git(["log", "-1", "--format=%B"])).not.toContain("Nax-Verified");
  });
});
