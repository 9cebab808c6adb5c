/**
 * The rectify loop with the test-double agent and a real `bun test`: the first
 * session leaves a wrong implementation, verification fails with a named test,
 * one rectify session (given the failing test's name, message and file) fixes
 * it, and the story passes on its first attempt without escalating. And an
 * attempt that changed nothing is verified all the same (trap 22).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { FakeClaudeInvocation } from "../../fakes/fake-claude-script";
import { createTestProject, type TestProject } from "../../helpers/project";
import { dataOf, ofType, readEvents, readStatus, readStories } from "../../helpers/read-run";

const TEST_FILE = `import { expect, test } from "bun:test";
import { double } from "../src/double";

test("double multiplies by two", () => {
  expect(double(3)).toBe(6);
});
`;

describe("a story that fails verification once and passes after one rectify round", () => {
  let project: TestProject;
  let code: number;
  let calls: FakeClaudeInvocation[];

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "Add double", acceptanceCriteria: ["double(n) returns 2n"] }],
      config: { quality: { commands: { test: "bun test" } } },
      script: {
        sessions: [
          {
            name: "rectify",
            match: "## Rectification round",
            actions: [{ write: { path: "src/double.ts", content: "export const double = (n: number) => n * 2;\n" } }],
            result: { total_cost_usd: 0.02 },
          },
          {
            name: "implement",
            match: "# Task: US-001",
            actions: [
              { write: { path: "src/double.ts", content: "export const double = (n: number) => n + 2;\n" } },
              { write: { path: "test/double.test.ts", content: TEST_FILE } },
            ],
            result: { total_cost_usd: 0.03 },
          },
        ],
      },
    });
    code = (await project.nax(["run", "-f", "demo", "--skip-precheck"])).code;
    calls = await project.claudeCalls();
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("the run completes and the story is passed with one attempt, no escalation and no recorded failure", async () => {
    expect(code).toBe(0);
    expect((await readStatus(project)).run.status).toBe("completed");
    const story = (await readStories(project))["US-001"];
    expect(story).toMatchObject({ status: "passed", attempts: 1 });
    expect(story?.escalations ?? []).toEqual([]);
    expect(story?.priorFailures ?? []).toEqual([]);
  });

  test("rectify:started and rectify:completed are emitted once each, around the one rectify session", async () => {
    const events = await readEvents(project);
    expect(dataOf(events, "rectify:started")).toEqual([{ storyId: "US-001", attempt: 1, failingTests: 1 }]);
    expect(dataOf(events, "rectify:completed")).toEqual([{ storyId: "US-001", attempt: 1, passed: true }]);
    expect(ofType(events, "story:escalated")).toEqual([]);
    expect(dataOf(events, "agent:session-started").map((d) => d.purpose)).toEqual(["implement", "rectify"]);
    expect(dataOf(events, "verify:completed").map((d) => [d.passed, d.failedCount])).toEqual([
      [false, 1],
      [true, 0],
    ]);
    expect(dataOf(events, "story:completed")).toEqual([expect.objectContaining({ storyId: "US-001", attempts: 1 })]);
  });

  test("the rectify prompt names the failing test, its message and file, and forbids weakening tests", () => {
    expect(calls.map((c) => c.session)).toEqual(["implement", "rectify"]);
    const prompt = calls[1]?.prompt ?? "";
    expect(prompt).toStartWith("# Task: US-001 — Add double");
    expect(prompt).toContain("## Rectification round 1");
    expect(prompt).toContain("1. double multiplies by two (test/double.test.ts)");
    expect(prompt).toContain("Expected: 6");
    expect(prompt).toContain("Received: 5");
    expect(prompt).toContain("Fix the implementation; do not weaken or delete tests.");
  });

  test("the rectify session's cost reaches the story and the run", async () => {
    const events = await readEvents(project);
    const completed = dataOf(events, "story:completed")[0];
    expect(completed?.costUsd).toBeCloseTo(0.05, 10);
    const status = await readStatus(project);
    expect(status.cost.spent).toBeCloseTo(0.05, 10);
    expect(status.cost.limit).toBe(20);
  });

  test("the fix is committed with the story and the tree is clean", () => {
    expect(project.git(["show", "HEAD:src/double.ts"])).toContain("n * 2");
    expect(project.git(["status", "--porcelain"])).toBe("");
  });
});

describe("an attempt that changed nothing", () => {
  let project: TestProject;
  let code: number;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "Write the file" }],
      config: {
        quality: { commands: { test: "test -f src/done.txt" } },
        execution: { rectification: { maxRetries: 0 } },
        autoMode: { escalation: { tierOrder: [{ tier: "fast", attempts: 1 }] } },
      },
      script: { default: { result: { result: "Nothing to do." } } },
    });
    code = (await project.nax(["run", "-f", "demo", "--skip-precheck"])).code;
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("is still verified, on the full suite, and cannot pass while the tests fail", async () => {
    const events = await readEvents(project);
    expect(dataOf(events, "verify:completed").map((d) => [d.scope, d.passed, d.command])).toEqual([
      ["full", false, "test -f src/done.txt"],
    ]);
    expect(code).toBe(1);
    expect((await readStories(project))["US-001"]).toMatchObject({ status: "failed", attempts: 1 });
    expect(dataOf(events, "story:completed")).toEqual([]);
  });
});
