/**
 * The other triggers in real runs, answered by the `auto` channel's policy
 * (the test double agent, temp git repos): a tiers-exhausted story granted a
 * retry passes on its extra attempt; a security-tagged story is rejected
 * before its merge while an untagged one lands; the cost question stops the
 * run from starting another story.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type CliResult, createTestProject, exists, type TestProject } from "../../helpers/project";
import { dataOf, readEvents, readStories } from "../../helpers/read-run";

const BASE = {
  autoMode: { escalation: { tierOrder: [{ tier: "fast", attempts: 1 }] } },
  execution: { rectification: { maxRetries: 0 } },
  quality: { commands: { test: "sh check.sh" } },
};
const CHECK = { "check.sh": 'if [ -f src/bad.txt ]; then echo "FAIL bad.txt"; exit 1; fi\n' };
const write = (path: string, content: string) => ({ write: { path, content } });
const auto = (answers: Record<string, string>, triggers: Record<string, unknown>) => ({
  interaction: { channels: ["auto"], auto: { answers }, triggers },
});

describe("a tiers-exhausted story the policy answers with retry", () => {
  let project: TestProject;
  let result: CliResult;
  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "story that passes on its second try" }],
      files: CHECK,
      config: { ...BASE, ...auto({ "tiers-exhausted": "retry" }, { tiersExhausted: true }) },
      script: {
        sessions: [
          { match: "# Task: US-001", times: 1, actions: [write("src/bad.txt", "broken\n")] },
          { match: "# Task: US-001", actions: [write("src/US-001.txt", "fixed\n")] },
        ],
      },
    });
    result = await project.nax(["run", "-f", "demo"]);
  }, 60_000);
  afterAll(() => project.cleanup());

  test("gets one more attempt on the top tier, recorded as a grant, and passes", async () => {
    expect(result.code).toBe(0);
    const story = (await readStories(project))["US-001"];
    expect(story).toMatchObject({ status: "passed", attempts: 2 });
    expect(story?.grants).toEqual([expect.objectContaining({ tier: "fast" })]);
    const events = await readEvents(project);
    expect(dataOf(events, "interaction:answered")).toEqual([
      expect.objectContaining({ choice: "retry", channel: "auto", by: "policy", storyId: "US-001" }),
    ]);
    expect(dataOf(events, "story:started").map((d) => [d.attempt, d.tier])).toEqual([
      [1, "fast"],
      [2, "fast"],
    ]);
  });
});

describe("a security-sensitive story before its merge, rejected by the policy", () => {
  let project: TestProject;
  let result: CliResult;
  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "rotate the session keys", tags: ["security"] },
        { id: "US-002", title: "a plain story" },
      ],
      files: CHECK,
      // One session per story: this test is about the merge question, not the three-session strategy security work routes to.
      config: {
        ...BASE,
        ...auto({ "security-review": "reject" }, { securityReview: true }),
        tdd: { keywordStrategies: [], complexityStrategies: { complex: "test-after", expert: "test-after" } },
      },
      script: {
        sessions: [
          { match: "# Task: US-001", actions: [write("src/US-001.txt", "keys\n")] },
          { match: "# Task: US-002", actions: [write("src/US-002.txt", "plain\n")] },
        ],
      },
    });
    result = await project.nax(["run", "-f", "demo"]);
  }, 60_000);
  afterAll(() => project.cleanup());

  test("the tagged story is asked about and fails as rejected; its work never reaches the checkout", async () => {
    expect(result.code).toBe(1);
    const stories = await readStories(project);
    expect(stories["US-001"]?.status).toBe("failed");
    expect(await exists(join(project.dir, "src/US-001.txt"))).toBe(false);
    const events = await readEvents(project);
    expect(dataOf(events, "interaction:asked")).toEqual([
      expect.objectContaining({ kind: "security-review", storyId: "US-001", choices: ["approve", "reject"] }),
    ]);
    expect(String(dataOf(events, "story:failed")[0]?.reason)).toContain("security review: rejected");
  });

  test("the untagged story is merged without a question", async () => {
    expect((await readStories(project))["US-002"]?.status).toBe("passed");
    expect(await readFile(join(project.dir, "src/US-002.txt"), "utf8")).toBe("plain\n");
  });
});

describe("the cost question at half the limit, answered stop by the policy", () => {
  let project: TestProject;
  let result: CliResult;
  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "first story" },
        { id: "US-002", title: "second story" },
      ],
      files: CHECK,
      config: {
        ...BASE,
        execution: { ...BASE.execution, costLimit: 3 },
        ...auto({ "cost-threshold": "stop" }, { costShare: 0.5 }),
      },
      script: {
        default: { actions: [{ append: { path: "src/work.txt", content: "x\n" } }], result: { total_cost_usd: 2 } },
      },
    });
    result = await project.nax(["run", "-f", "demo"]);
  }, 60_000);
  afterAll(() => project.cleanup());

  test("after the first story spends past the share, the run stops before the second, saying why", async () => {
    expect(result.code).toBe(1);
    const stories = await readStories(project);
    expect(stories["US-001"]?.status).toBe("passed");
    expect(stories["US-002"]?.status).toBe("pending");
    const events = await readEvents(project);
    const asked = dataOf(events, "interaction:asked");
    expect(asked).toEqual([expect.objectContaining({ kind: "cost-threshold", choices: ["continue", "stop"] })]);
    expect(asked[0]?.storyId).toBeUndefined();
    const end = dataOf(events, "run:completed")[0];
    expect(end?.exitReason).toBe(`stopped at 50% of the cost limit by the answer to ${asked[0]?.questionId}`);
  });
});
