import { describe, expect, test } from "bun:test";
import { StageNameSchema } from "../../../src/events/vocabulary";
import { createBudget } from "../../../src/pipeline/budget";
import { builtinStageRegistry, createPipelineFor, createPipelines } from "../../../src/pipeline/default-pipeline";
import { defineStage } from "../../../src/pipeline/define-stage";
import { createStageRegistry } from "../../../src/pipeline/stage-registry";
import { defineStrategy, GATED_CHECKS, STRATEGIES, TEST_AFTER } from "../../../src/pipeline/strategies";
import { createManualClock } from "../../../src/system/clock";
import { createFakeAgent } from "../../fakes/fake-agent";
import { createFakeReviewer, createFakeTestRunner } from "../../fakes/fake-test-runner";
import { makeContext } from "./helpers";

const clock = createManualClock();

function deps() {
  return {
    agent: createFakeAgent({ run: [] }),
    budget: createBudget(10),
    clock,
    readText: async () => undefined,
    tests: createFakeTestRunner([]),
    reviewer: createFakeReviewer([]),
    git: { head: async () => "base", commitStory: async () => ({ committed: false, sha: "base" }) },
  };
}

describe("stages registered by name", () => {
  test("every strategy ends with the test-integrity guards and then the commit", () => {
    for (const strategy of STRATEGIES) expect(strategy.steps.slice(-2)).toEqual(["integrity", "completion"]);
  });

  test("test-after's steps build today's stages in order, each gate followed by its repair", () => {
    const { stages, strategy } = createPipelineFor("test-after", deps());
    expect(strategy).toBe("test-after");
    expect(stages.map((s) => s.name)).toEqual([
      "routing",
      "context",
      "prompt",
      "agent",
      "verify",
      "rectify",
      "review",
      "autofix",
      "regression",
      "integrity",
      "completion",
    ]);
  });

  test("a strategy declared with a new registered stage builds with it, and its name passes the event schema", async () => {
    const ran: string[] = [];
    const registry = builtinStageRegistry().stage("test-writer", () =>
      defineStage({
        name: "test-writer",
        clock,
        run: async () => {
          ran.push("test-writer");
          return { action: "continue" };
        },
      }),
    );
    const tdd = defineStrategy({
      name: "tests-first-demo",
      summary: "a test writer before the agent",
      steps: ["routing", "test-writer", "agent", ...GATED_CHECKS, "completion"],
    });
    const { stages } = createPipelineFor("tests-first-demo", deps(), { registry, strategies: [...STRATEGIES, tdd] });
    expect(stages.map((s) => s.name).slice(0, 3)).toEqual(["routing", "test-writer", "agent"]);
    const { ctx } = makeContext();
    await stages[1]?.run(ctx);
    expect(ran).toEqual(["test-writer"]);
    expect(StageNameSchema.safeParse("test-writer").success).toBe(true);
    expect(StageNameSchema.safeParse("Test Writer").success).toBe(false);
  });

  test("an unknown strategy falls back to the default and says which name it did not know", () => {
    const choice = createPipelineFor("no-such-strategy", deps());
    expect(choice.strategy).toBe(TEST_AFTER.name);
    expect(choice.unknown).toBe("no-such-strategy");
  });

  test("createPipelines builds each strategy's stages once per run", () => {
    const pick = createPipelines(deps());
    expect(pick("test-after")).toBe(pick("test-after"));
    expect(pick("test-first").stages.map((s) => s.name)).toEqual(pick("test-after").stages.map((s) => s.name));
  });

  test("an unregistered name, a repair used as a stage, a duplicate stage or a bad name is refused with the step named", () => {
    const registry = builtinStageRegistry();
    expect(() => registry.build(["routing", "no-such"], deps())).toThrow('names "no-such", which is not registered');
    expect(() => registry.build([{ gate: "verify", repair: "review" }], deps())).toThrow(
      '"review", which is not registered',
    );
    expect(() => registry.build([{ gate: "routing", repair: "rectify" }], deps())).toThrow(
      '"routing" is a stage, not a gate',
    );
    expect(() => registry.build(["verify", { gate: "verify", repair: "rectify" }], deps())).toThrow(
      'stage "verify" appears twice',
    );
    expect(() =>
      createStageRegistry().stage("Bad Name", () => registry.build(["routing"], deps())[0] as never),
    ).toThrow("lowercase words joined by dashes");
    expect(() => registry.stage("routing", () => ({}) as never)).toThrow('stage "routing" is registered twice');
  });

  test("a strategy with no steps is refused where it is declared", () => {
    expect(() => defineStrategy({ name: "empty", summary: "nothing", steps: [] })).toThrow('"empty" has no steps');
  });
});
