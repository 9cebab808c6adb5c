import { describe, expect, test } from "bun:test";
import { createBudget } from "../../../../src/pipeline/budget";
import { createFakeAgent } from "../../../fakes/fake-agent";
import { createFakeTestRunner, failingTests } from "../../../fakes/fake-test-runner";
import { eventsOf, makeHarness } from "../helpers";

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
    expect(outcome.state.rectifyAttempts).toBe(0);
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
