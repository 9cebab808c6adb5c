/**
 * Tier escalation with the test-double agent: a story whose test never passes
 * climbs `tierOrder` (fast×2 → balanced×1 → powerful×1), each attempt on the
 * tier's model and with the earlier failures in its prompt, then fails; the
 * story that depends on it is never started and the run ends failed.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { FakeClaudeInvocation } from "../../fakes/fake-claude-script";
import { createTestProject, type TestProject } from "../../helpers/project";
import { dataOf, ofType, readEvents, readStatus, readStories } from "../../helpers/read-run";

const ANSWER_TEST = `import { expect, test } from "bun:test";
import { answer } from "../src/answer";

test("the answer is 42", () => {
  expect(answer()).toBe(42);
});
`;

describe("a story that never passes climbs every tier and fails", () => {
  let project: TestProject;
  let code: number;
  let calls: FakeClaudeInvocation[];

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "Compute the answer", routing: { complexity: "simple" } },
        { id: "US-002", title: "Print the answer", dependencies: ["US-001"] },
      ],
      files: { "test/answer.test.ts": ANSWER_TEST },
      config: {
        quality: { commands: { test: "bun test" } },
        execution: { rectification: { maxRetries: 0 }, regressionGate: { mode: "disabled" } },
        autoMode: {
          escalation: {
            tierOrder: [
              { tier: "fast", attempts: 2 },
              { tier: "balanced", attempts: 1 },
              { tier: "powerful", attempts: 1 },
            ],
          },
        },
      },
      script: {
        default: {
          actions: [{ write: { path: "src/answer.ts", content: "export const answer = () => 41;\n" } }],
        },
      },
    });
    code = (await project.nax(["run", "-f", "demo", "--skip-precheck"])).code;
    calls = await project.claudeCalls();
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("each attempt runs on its tier's model: haiku twice, then sonnet, then opus", async () => {
    expect(calls.map((c) => c.model)).toEqual(["haiku", "haiku", "sonnet", "opus"]);
    const started = dataOf(await readEvents(project), "story:started");
    expect(started.map((d) => [d.storyId, d.attempt, d.tier, d.model])).toEqual([
      ["US-001", 1, "fast", "haiku"],
      ["US-001", 2, "fast", "haiku"],
      ["US-001", 3, "balanced", "sonnet"],
      ["US-001", 4, "powerful", "opus"],
    ]);
  });

  test("story:escalated is emitted at each tier change, and story:failed once at the end", async () => {
    const events = await readEvents(project);
    expect(dataOf(events, "story:escalated").map((d) => [d.fromTier, d.toTier])).toEqual([
      ["fast", "balanced"],
      ["balanced", "powerful"],
    ]);
    const failed = dataOf(events, "story:failed");
    expect(failed).toEqual([expect.objectContaining({ storyId: "US-001", attempts: 4 })]);
    expect(String(failed[0]?.reason)).toContain("the answer is 42");
  });

  test("every retry prompt carries the structured failures of the attempts before it", () => {
    expect(calls[0]?.prompt).not.toContain("## Prior failures");
    for (const [index, call] of calls.entries()) {
      for (let earlier = 1; earlier <= index; earlier++) {
        expect(call.prompt).toContain(`### Attempt ${earlier} (tier `);
      }
      expect(call.prompt).not.toContain(`### Attempt ${index + 1} (tier `);
    }
    const last = calls[3]?.prompt ?? "";
    expect(last).toContain("### Attempt 1 (tier fast, stage rectify)");
    expect(last).toContain("### Attempt 3 (tier balanced, stage rectify)");
    expect(last).toContain("Failing tests:\n  - the answer is 42");
  });

  test("prd.json records four attempts, a failure per tier attempt and both escalations", async () => {
    const story = (await readStories(project))["US-001"];
    expect(story).toMatchObject({ status: "failed", attempts: 4 });
    expect(story?.priorFailures?.map((f) => [f.attempt, f.tier, f.stage, f.failingTests])).toEqual([
      [1, "fast", "rectify", ["the answer is 42"]],
      [2, "fast", "rectify", ["the answer is 42"]],
      [3, "balanced", "rectify", ["the answer is 42"]],
      [4, "powerful", "rectify", ["the answer is 42"]],
    ]);
    expect(story?.escalations?.map((e) => [e.fromTier, e.toTier])).toEqual([
      ["fast", "balanced"],
      ["balanced", "powerful"],
    ]);
  });

  test("the dependant story is left untouched: pending, no attempts, never started", async () => {
    const dependant = (await readStories(project))["US-002"];
    expect(dependant?.status).toBe("pending");
    expect(dependant?.attempts).toBe(0);
    expect(dependant?.priorFailures).toBeUndefined();
    expect(calls.some((c) => c.prompt.includes("# Task: US-002"))).toBe(false);
    expect(ofType(await readEvents(project), "stage:started").some((e) => e.storyId === "US-002")).toBe(false);
  });

  test("the run ends failed with exit code 1 and a reason naming the failed story and its dependant", async () => {
    expect(code).toBe(1);
    const status = await readStatus(project);
    expect(status.run.status).toBe("failed");
    expect(status.run.exitReason).toBe("story US-001 failed; not started because a dependency cannot pass: US-002");
    expect(status.progress).toMatchObject({ total: 2, failed: 1, passed: 0, pending: 1 });
  });
});
