import { describe, expect, test } from "bun:test";
import { createFakeAgent } from "../../../fakes/fake-agent";
import { createFakeReviewer, createFakeTestRunner, reviewResult } from "../../../fakes/fake-test-runner";
import { eventsOf, makeConfig, makeHarness, stageRuns } from "../helpers";

const lintConfig = (autofix: { maxAttempts?: number; enabled?: boolean } = {}, fixers = true) =>
  makeConfig({
    quality: {
      commands: {
        lint: "biome check .",
        ...(fixers ? { lintFix: "biome check --write .", formatFix: "biome format --write ." } : {}),
      },
      autofix,
    },
  });

describe("review and autofix", () => {
  test("a lint failure fixed by the mechanical fixers passes without another agent session", async () => {
    const h = makeHarness({
      config: lintConfig(),
      reviewer: createFakeReviewer([reviewResult({ lint: false }), reviewResult({ lint: true })]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("passed");
    expect(h.reviewer.fixRuns).toHaveLength(1);
    expect(h.reviewer.fixRuns[0]?.commands.lintFix).toBe("biome check --write .");
    expect(h.agent.runs).toHaveLength(1);
    expect(eventsOf(h.events, "autofix:started")).toEqual([{ attempt: 1, problems: "lint" }]);
    expect(eventsOf(h.events, "autofix:completed")).toEqual([{ attempt: 1, passed: true, mechanical: true }]);
    expect(stageRuns(h.events)).toMatchObject({ review: 2, autofix: 2, completion: 1 });
  });

  test("a lint failure the fixers cannot fix goes to the agent, then the tests and the review run again", async () => {
    const h = makeHarness({
      config: lintConfig(),
      agent: createFakeAgent({ run: [{}, {}] }),
      tests: createFakeTestRunner([{ passed: true }, { passed: true }]),
      reviewer: createFakeReviewer([
        reviewResult({ lint: false }),
        reviewResult({ lint: false }),
        reviewResult({ lint: true }),
      ]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("passed");
    expect(h.agent.runs).toHaveLength(2);
    const autofixPrompt = h.agent.runs[1]?.prompt ?? "";
    expect(autofixPrompt).toStartWith("# Task: US-001");
    expect(autofixPrompt).toContain("lint: 1 problem in src/a.ts");
    expect(eventsOf(h.events, "autofix:started")).toHaveLength(1);
    expect(eventsOf(h.events, "autofix:completed")).toEqual([{ attempt: 1, passed: true, mechanical: false }]);
    expect(stageRuns(h.events)).toMatchObject({ verify: 2, review: 3 });
    expect(eventsOf(h.events, "agent:session-completed").map((e) => e.purpose)).toEqual(["implement", "autofix"]);
  });

  test("without fixers configured the first autofix step is the agent", async () => {
    const h = makeHarness({
      config: lintConfig({}, false),
      agent: createFakeAgent({ run: [{}, {}] }),
      tests: createFakeTestRunner([{ passed: true }, { passed: true }]),
      reviewer: createFakeReviewer([reviewResult({ lint: false }), reviewResult({ lint: true })]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("passed");
    expect(h.reviewer.fixRuns).toHaveLength(0);
    expect(eventsOf(h.events, "autofix:completed")).toEqual([{ attempt: 1, passed: true, mechanical: false }]);
  });

  test("autofix exhausted escalates naming the failing checks", async () => {
    const h = makeHarness({
      config: lintConfig({ maxAttempts: 1 }, false),
      agent: createFakeAgent({ run: [{}, {}] }),
      tests: createFakeTestRunner([{ passed: true }, { passed: true }]),
      reviewer: createFakeReviewer([reviewResult({ lint: false, typecheck: true }), reviewResult({ lint: false })]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("escalate");
    expect(outcome.stage).toBe("autofix");
    expect(outcome.reason).toContain("after 1 autofix attempt(s): lint");
    expect(eventsOf(h.events, "autofix:completed")).toEqual([{ attempt: 1, passed: false, mechanical: false }]);
    expect(h.marked).toHaveLength(0);
  });

  test("with autofix disabled a review failure escalates without a repair session", async () => {
    const h = makeHarness({
      config: lintConfig({ enabled: false }),
      reviewer: createFakeReviewer([reviewResult({ lint: false })]),
    });
    const outcome = await h.run();
    expect(outcome.kind).toBe("escalate");
    expect(outcome.reason).toContain("autofix disabled");
    expect(h.agent.runs).toHaveLength(1);
    expect(h.reviewer.fixRuns).toHaveLength(0);
  });

  test("nothing to review when no lint or typecheck command is configured", async () => {
    const h = makeHarness({ reviewer: createFakeReviewer([]) });
    const outcome = await h.run();
    expect(outcome.kind).toBe("passed");
    expect(h.reviewer.reviews).toBe(0);
  });
});
