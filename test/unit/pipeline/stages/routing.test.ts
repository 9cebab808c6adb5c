import { describe, expect, test } from "bun:test";
import { createBudget } from "../../../../src/pipeline/budget";
import { createRoutingStage } from "../../../../src/pipeline/stages/routing";
import { createManualClock } from "../../../../src/system/clock";
import { createFakeAgent } from "../../../fakes/fake-agent";
import { makeConfig, makeContext, makeStory } from "../helpers";

function deps(agent = createFakeAgent(), budget = createBudget(10)) {
  return { agent, budget, clock: createManualClock() };
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

  test("the llm strategy asks the routing tier for JSON and counts the session's cost", async () => {
    const agent = createFakeAgent({
      complete: [
        { resultText: '{"complexity":"medium","testStrategy":"test-after","reasoning":"small"}', costUsd: 0.03 },
      ],
    });
    const budget = createBudget(10);
    const config = makeConfig({ routing: { strategy: "llm", llm: { model: "fast", timeoutMs: 7_000 } } });
    const { ctx } = makeContext({ config, tier: "balanced" });
    const result = await createRoutingStage(deps(agent, budget)).run(ctx);
    expect(result.action === "continue" ? result.patch?.routing : undefined).toMatchObject({
      complexity: "medium",
      tier: "balanced",
      reasoning: "llm: small",
    });
    expect(agent.completions[0]?.options).toMatchObject({ model: "haiku", timeoutMs: 7_000 });
    expect(budget.spent()).toBeCloseTo(0.03);
    expect(ctx.state.costUsd).toBeCloseTo(0.03);
  });

  test("the llm strategy retries, then falls back to keywords with a warning", async () => {
    const agent = createFakeAgent({ complete: [{ resultText: "no idea" }, { outcome: "timeout", error: "slow" }] });
    const config = makeConfig({ routing: { strategy: "llm", llm: { retries: 1, fallbackToKeywords: true } } });
    const { ctx, logger } = makeContext({ config, story: makeStory({ title: "Add OAuth login" }) });
    const result = await createRoutingStage(deps(agent)).run(ctx);
    expect(agent.completions).toHaveLength(2);
    expect(result.action === "continue" ? result.patch?.routing?.complexity : undefined).toBe("complex");
    expect(result.action === "continue" ? result.patch?.routing?.reasoning : "").toContain("LLM routing failed");
    expect(logger.records.some((r) => r.level === "warn" && r.message.includes("falling back to keywords"))).toBe(true);
  });

  test("the llm strategy without fallback fails the story when the model cannot answer", async () => {
    const agent = createFakeAgent({ complete: [{ resultText: "no idea" }] });
    const config = makeConfig({ routing: { strategy: "llm", llm: { retries: 0, fallbackToKeywords: false } } });
    const { ctx } = makeContext({ config });
    const result = await createRoutingStage(deps(agent)).run(ctx);
    expect(result.action).toBe("fail");
  });

  test("the llm strategy respects the cost limit", async () => {
    const agent = createFakeAgent({ complete: [] });
    const { ctx } = makeContext({ config: makeConfig({ routing: { strategy: "llm" } }) });
    const result = await createRoutingStage(deps(agent, createBudget(1, 1))).run(ctx);
    expect(result).toMatchObject({ action: "stop", reason: "cost-limit" });
    expect(agent.completions).toHaveLength(0);
  });
});
