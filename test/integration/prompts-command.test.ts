/**
 * `nax prompts` shows the exact prompt the agent receives: captured before a
 * real run with the fake Claude CLI, it equals what the fake was sent, story
 * by story, including context files and an earlier attempt's failures.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestProject, type TestProject } from "../helpers/project";

interface Report {
  feature: string;
  prompts: Array<{
    storyId: string;
    attempt: number;
    tier: string;
    model: string;
    testStrategy: string;
    prompt: string;
    notes: string[];
  }>;
}

const STORIES = [
  {
    id: "US-001",
    title: "Add the greeting",
    description: "Print hello.",
    acceptanceCriteria: ["prints hello", "exits 0"],
    contextFiles: ["src/notes.txt", "src/missing.txt"],
    attempts: 1,
    priorFailures: [
      {
        attempt: 1,
        tier: "fast",
        stage: "verify",
        summary: "1 test failed: greeting says hello",
        failingTests: ["greeting says hello"],
      },
    ],
  },
  { id: "US-002", title: "Add the farewell", description: "Print bye.", dependencies: ["US-001"] },
  { id: "US-003", title: "Already done", status: "passed" },
];

describe("nax prompts", () => {
  let project: TestProject;
  let before: Report;
  let beforeSnapshot: Map<string, string>;
  let afterPreview: Map<string, string>;

  beforeAll(async () => {
    project = await createTestProject({
      stories: STORIES,
      config: { quality: { commands: { test: "true" } } },
      files: { "src/notes.txt": "the greeting is lowercase\n" },
      script: {
        sessions: [
          { match: "# Task: US-001", actions: [{ write: { path: "src/hello.txt", content: "hello\n" } }] },
          { match: "# Task: US-002", actions: [{ write: { path: "src/bye.txt", content: "bye\n" } }] },
        ],
      },
    });
    beforeSnapshot = await project.snapshot();
    const preview = await project.nax(["prompts", "-f", "demo", "--json"]);
    expect(preview.code).toBe(0);
    before = JSON.parse(preview.out) as Report;
    afterPreview = await project.snapshot();
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("lists the runnable stories in plan order with their next attempt and tier, and writes nothing", () => {
    expect(before.prompts.map((p) => [p.storyId, p.attempt, p.tier])).toEqual([
      ["US-001", 2, "fast"],
      ["US-002", 1, "fast"],
    ]);
    expect(before.prompts[0]?.notes).toEqual(["context file src/missing.txt: not found"]);
    expect([...afterPreview.entries()]).toEqual([...beforeSnapshot.entries()]);
    expect(before.prompts[0]?.prompt).toContain("1 test failed: greeting says hello");
    expect(before.prompts[0]?.prompt).toContain("the greeting is lowercase");
  });

  test("--story narrows to one story; a story with no next attempt is a usage error", async () => {
    const one = await project.nax(["prompts", "--story", "US-002", "--json"]);
    expect(one.code).toBe(0);
    expect((JSON.parse(one.out) as Report).prompts).toEqual(before.prompts.slice(1, 2));
    const done = await project.nax(["prompts", "--story", "US-003"]);
    expect(done.code).toBe(2);
    expect(done.err).toContain("story US-003 is passed, so it has no next attempt");
  });

  test("each prompt equals what the agent receives in the real run", async () => {
    const run = await project.nax(["run", "-f", "demo"]);
    expect(run.code).toBe(0);
    const sent = (await project.claudeCalls()).filter((call) => call.prompt.startsWith("# Task: "));
    expect(sent.map((call) => call.prompt)).toEqual(before.prompts.map((p) => p.prompt));
  });
});

describe("nax prompts, human output", () => {
  test("prints each prompt under a header naming the story, attempt, tier, model and test strategy", async () => {
    const project = await createTestProject({ stories: [{ id: "US-001", title: "Add the greeting" }] });
    try {
      const result = await project.nax(["prompts"]);
      expect(result.code).toBe(0);
      expect(result.out).toMatch(
        /^===== US-001: attempt 1 on tier fast \(haiku\), test-after =====\n# Task: US-001 — Add the greeting\n/,
      );
    } finally {
      await project.cleanup();
    }
  });
});
