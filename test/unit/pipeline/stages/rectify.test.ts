import { describe, expect, test } from "bun:test";
import { createBudget } from "../../../../src/pipeline/budget";
import { repairsUsed } from "../../../../src/pipeline/gate-repair";
import { measuredFailures } from "../../../../src/pipeline/stages/rectify";
import { createFakeAgent } from "../../../fakes/fake-agent";
import { createFakeTestRunner, failingTests, testResult } from "../../../fakes/fake-test-runner";
import { eventsOf, makeConfig, makeHarness } from "../helpers";

describe("the rectify stage and the cost limit", () => {
  test("a rectify round is not announced when the budget is already spent: the run stops for the cost limit", async () => {
    const h = makeHarness({
      budget: createBudget(0.05),
      agent: createFakeAgent({ run: [{ costUsd: 0.06 }] }),
      tests: createFakeTestRunner([failingTests("greet empty name")]),
    });
    const outcome = await h.run();
    expect(outcome).toMatchObject({
      kind: "stop",
      reason: "cost-limit",
      stage: "rectify",
      detail: "$0.06 spent of $0.05 before the rectify session",
    });
    expect(h.agent.runs).toHaveLength(1);
    expect(eventsOf(h.events, "rectify:started")).toEqual([]);
    expect(eventsOf(h.events, "rectify:completed")).toEqual([]);
    expect(repairsUsed(outcome.state, "rectify")).toBe(0);
  });

  test("under the limit the same failure starts a rectify round, whose session's cost joins the attempt's", async () => {
    const h = makeHarness({
      budget: createBudget(1),
      agent: createFakeAgent({ run: [{ costUsd: 0.06 }, { costUsd: 0.04 }] }),
      tests: createFakeTestRunner([failingTests("greet empty name"), { passed: true }]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("passed");
    expect(eventsOf(h.events, "rectify:started")).toEqual([{ attempt: 1, failingTests: 1 }]);
    expect(outcome.state.costUsd).toBeCloseTo(0.1, 10);
    expect(h.budget.spent()).toBeCloseTo(0.1, 10);
  });
});

describe("a verification that timed out has unknown counts, never 0 failing", () => {
  const timedOut = testResult({ passed: false, termination: "timeout", exitCode: null, failedCount: 0, failures: [] });

  test("a hang that turns into one real failure is not judged worse: rectification goes on and the story can pass", async () => {
    const h = makeHarness({
      config: makeConfig({ execution: { rectification: { maxRetries: 5, abortOnIncreasingFailures: true } } }),
      agent: createFakeAgent({ run: [{}, {}, {}] }),
      tests: createFakeTestRunner([timedOut, failingTests("greet empty name"), { passed: true }]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("passed");
    expect(eventsOf(h.events, "rectify:started")).toHaveLength(2);
  });

  test("a real failure followed by a hang is not compared either, and the next real count is compared with nothing", async () => {
    const h = makeHarness({
      config: makeConfig({ execution: { rectification: { maxRetries: 5, abortOnIncreasingFailures: true } } }),
      agent: createFakeAgent({ run: [{}, {}, {}, {}] }),
      tests: createFakeTestRunner([failingTests("a"), timedOut, failingTests("a", "b"), { passed: true }]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("passed");
    expect(eventsOf(h.events, "rectify:started")).toHaveLength(3);
  });

  test("the rectify prompt after a timeout says the command did not finish instead of quoting a count", async () => {
    const h = makeHarness({
      agent: createFakeAgent({ run: [{}, {}] }),
      tests: createFakeTestRunner([timedOut, { passed: true }]),
    });
    await h.run();
    const prompt = h.agent.runs[1]?.prompt ?? "";
    expect(prompt).toContain("did not finish (it timed out): the failing count is unknown");
    expect(prompt).not.toContain("0 failing");
  });

  test("measuredFailures is the count only for a run that exited", () => {
    expect(measuredFailures(failingTests("a", "b"))).toBe(2);
    expect(measuredFailures(timedOut)).toBeUndefined();
    expect(measuredFailures(testResult({ passed: false, termination: "aborted", failedCount: 0 }))).toBeUndefined();
  });
});
