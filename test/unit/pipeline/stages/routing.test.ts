import { describe, expect, test } from "bun:test";
import { createRoutingStage } from "../../../../src/pipeline/stages/routing";
import { createManualClock } from "../../../../src/system/clock";
import { createFakeAgent } from "../../../fakes/fake-agent";
import { makeConfig, makeContext, makeStory } from "../helpers";

function deps(agent = createFakeAgent()) {
  return { agent, clock: createManualClock() };
}

describe("the routing stage", () => {
  test("keeps the escalated tier even when the complexity maps to a cheaper one (BUG-032)", async () => {
    const story = makeStory({
      title: "Fix typo",
      description: "",
      acceptanceCriteria: [],
      routing: { modelTier: "fast" },
    });
    const { ctx } = makeContext({ story, tier: "powerful" });
    const result = await createRoutingStage(deps()).run(ctx);
    expect(result.action).toBe("continue");
    expect(result.action === "continue" ? result.patch?.routing : undefined).toMatchObject({
      complexity: "simple",
      tier: "powerful",
      model: "opus",
      testStrategy: "test-after",
    });
  });

  test("the keyword strategy classifies without any model call", async () => {
    const agent = createFakeAgent();
    const { ctx } = makeContext({ story: makeStory({ title: "Add OAuth login" }) });
    const result = await createRoutingStage(deps(agent)).run(ctx);
    expect(result.action === "continue" ? result.patch?.routing?.complexity : undefined).toBe("complex");
    expect(agent.completions).toHaveLength(0);
  });

  test("the manual strategy without routing in prd.json fails naming the story", async () => {
    const { ctx } = makeContext({
      config: makeConfig({ routing: { strategy: "manual" } }),
      story: makeStory({ id: "US-042" }),
    });
    const result = await createRoutingStage(deps()).run(ctx);
    expect(result.action).toBe("fail");
    expect(result.action === "fail" ? result.reason : "").toContain("US-042");
  });

  test("the manual strategy uses the story's own routing", async () => {
    const story = makeStory({
      routing: { complexity: "expert", testStrategy: "test-first", reasoning: "says so" },
    });
    const { ctx } = makeContext({ config: makeConfig({ routing: { strategy: "manual" } }), story });
    const result = await createRoutingStage(deps()).run(ctx);
    expect(result.action === "continue" ? result.patch?.routing : undefined).toMatchObject({
      complexity: "expert",
      testStrategy: "test-first",
      reasoning: "says so",
    });
  });

  test("a story's top-level complexity, as nax 0.22 PRDs write it, counts as given under the manual strategy", async () => {
    const story = makeStory({ complexity: "complex" });
    const { ctx } = makeContext({ config: makeConfig({ routing: { strategy: "manual" } }), story });
    const result = await createRoutingStage(deps()).run(ctx);
    expect(result.action === "continue" ? result.patch?.routing : undefined).toMatchObject({ complexity: "complex" });
  });

  test("under the llm strategy the stage makes no model call: it records the decision the routing step persisted", async () => {
    const agent = createFakeAgent({ complete: [] });
    const story = makeStory({
      title: "Fix typo",
      routing: {
        complexity: "expert",
        modelTier: "powerful",
        testStrategy: "test-first",
        reasoning: "llm: hard",
        decidedBy: "llm",
      },
    });
    const { ctx } = makeContext({ config: makeConfig({ routing: { strategy: "llm" } }), story, tier: "powerful" });
    const result = await createRoutingStage(deps(agent)).run(ctx);
    expect(result.action === "continue" ? result.patch?.routing : undefined).toMatchObject({
      complexity: "expert",
      tier: "powerful",
      testStrategy: "test-first",
      reasoning: "llm: hard",
    });
    expect(agent.completions).toHaveLength(0);
  });
});
