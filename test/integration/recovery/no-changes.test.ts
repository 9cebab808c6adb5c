/**
 * An attempt that changed nothing is not a pass (trap 28, docs/traps.md),
 * even when the tests pass: it fails with the category `no-changes`, goes
 * back once with that feedback in the prompt, and then the story fails with
 * "the agent made no changes" instead of climbing every tier. An untracked
 * new file is a change.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { FakeClaudeInvocation } from "../../fakes/fake-claude-script";
import { createTestProject, type TestProject } from "../../helpers/project";
import { dataOf, readEvents, readStories } from "../../helpers/read-run";

describe("an agent that changes nothing while the tests pass", () => {
  let project: TestProject;
  let code: number;
  let calls: FakeClaudeInvocation[];

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "Already done" }],
      config: { quality: { commands: { test: "true" } } },
      script: { default: { result: { result: "Everything is already in place." } } },
    });
    code = (await project.nax(["run", "-f", "demo"])).code;
    calls = await project.claudeCalls();
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("the story fails after two attempts with 'the agent made no changes', without escalating", async () => {
    expect(code).toBe(1);
    const story = (await readStories(project))["US-001"];
    expect(story).toMatchObject({ status: "failed", attempts: 2 });
    expect(story?.escalations ?? []).toEqual([]);
    expect(story?.priorFailures?.map((f) => f.category)).toEqual(["no-changes", "no-changes"]);
    const events = await readEvents(project);
    expect(dataOf(events, "story:completed")).toEqual([]);
    expect(String(dataOf(events, "story:failed")[0]?.reason)).toContain("the agent made no changes");
    expect(dataOf(events, "story:escalated")).toEqual([]);
  });

  test("the retry's prompt carries the no-changes feedback, and only two agent sessions were spent", () => {
    expect(calls).toHaveLength(2);
    expect(calls[0]?.prompt ?? "").not.toContain("no-changes");
    expect(calls[1]?.prompt ?? "").toContain("## Prior failures");
    expect(calls[1]?.prompt ?? "").toContain("no-changes: the attempt left no change in the project");
  });

  test("nothing was committed for the story", () => {
    expect(project.git(["log", "--format=%s"]).trim().split("\n")).toEqual(["initial"]);
  });
});

describe("an agent whose only change is a new untracked file", () => {
  let project: TestProject;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "Add a file" }],
      config: { quality: { commands: { test: "true" } } },
      script: { default: { actions: [{ write: { path: "notes/new.md", content: "new\n" } }] } },
    });
    expect((await project.nax(["run", "-f", "demo"])).code).toBe(0);
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("passes and commits the file: an untracked file is a change", async () => {
    expect((await readStories(project))["US-001"]?.status).toBe("passed");
    expect(project.git(["show", "--name-only", "--format=", "HEAD"])).toContain("notes/new.md");
  });
});
