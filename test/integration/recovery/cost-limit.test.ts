/**
 * The cost limit is checked before every agent session, not only between
 * stories: the implement session's reported cost passes the limit, the tests
 * fail, and the rectify session that would come next never starts. The run
 * ends failed with a cost-limit reason, and the story, not at fault, keeps
 * its attempt for a later run.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestProject, type TestProject } from "../../helpers/project";
import { dataOf, readEvents, readStatus, readStories } from "../../helpers/read-run";

describe("a rectify session that would start after the cost limit is reached", () => {
  let project: TestProject;
  let code: number;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "Write the file" }],
      config: {
        quality: { commands: { test: "test -f src/right.txt" } },
        execution: { costLimit: 0.05 },
      },
      script: {
        default: { actions: [{ write: { path: "src/wrong.txt", content: "x\n" } }], result: { total_cost_usd: 0.06 } },
      },
    });
    code = (await project.nax(["run", "-f", "demo", "--skip-precheck"])).code;
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("does not start: one agent session ran, and no rectify round began", async () => {
    expect(await project.claudeCalls()).toHaveLength(1);
    const events = await readEvents(project);
    expect(dataOf(events, "agent:session-started").map((d) => d.purpose)).toEqual(["implement"]);
    expect(dataOf(events, "verify:completed").map((d) => d.passed)).toEqual([false]);
    expect(dataOf(events, "rectify:started")).toEqual([]);
    expect(dataOf(events, "rectify:completed")).toEqual([]);
  });

  test("the run ends failed with exit code 1 and a cost-limit exit reason naming the session it stopped", async () => {
    expect(code).toBe(1);
    const status = await readStatus(project);
    expect(status.run.status).toBe("failed");
    expect(status.run.exitReason).toBe("cost limit reached: $0.06 spent of $0.05 before the rectify session");
  });

  test("the status file shows what was spent against the limit", async () => {
    const status = await readStatus(project);
    expect(status.cost.spent).toBeCloseTo(0.06, 10);
    expect(status.cost.limit).toBe(0.05);
  });

  test("the story is back to pending with no attempt spent and no failure recorded", async () => {
    const story = (await readStories(project))["US-001"];
    expect(story).toMatchObject({ status: "pending", attempts: 0 });
    expect(story?.priorFailures).toBeUndefined();
    const events = await readEvents(project);
    expect(dataOf(events, "story:failed")).toEqual([]);
    expect(dataOf(events, "story:escalated")).toEqual([]);
  });
});
