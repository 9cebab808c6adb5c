import { describe, expect, test } from "bun:test";
import { runAgentSession, sessionStopResult } from "../../../src/pipeline/agent-session";
import { createBudget } from "../../../src/pipeline/budget";
import { createManualClock } from "../../../src/system/clock";
import { createFakeAgent } from "../../fakes/fake-agent";
import { eventsOf, makeConfig, makeContext } from "./helpers";

function setup(
  options: {
    run?: NonNullable<Parameters<typeof createFakeAgent>[0]>["run"];
    budget?: ReturnType<typeof createBudget>;
  } = {},
) {
  const config = makeConfig({
    models: { fast: { model: "claude-haiku", env: { TIER: "fast" } }, balanced: "sonnet", powerful: "opus" },
    execution: {
      sessionTimeoutSeconds: 120,
      stallTimeoutSeconds: 30,
      rateLimit: { defaultWaitSeconds: 60, maxWaitSeconds: 300, maxRetries: 2 },
    },
  });
  const { ctx, events, logger } = makeContext({ config });
  const agent = createFakeAgent({ run: options.run ?? [{}] });
  const clock = createManualClock();
  const budget = options.budget ?? createBudget(10);
  return { ctx, events, logger, agent, clock, budget, deps: { agent, clock, budget } };
}

describe("runAgentSession", () => {
  test("runs the agent with the tier's model and env, the configured timeouts, prompt and workdir", async () => {
    const s = setup();
    await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "# Task" });
    expect(s.agent.runs[0]).toMatchObject({
      prompt: "# Task",
      workdir: "/tmp/nax-project",
      model: "claude-haiku",
      env: { TIER: "fast" },
      timeoutMs: 120_000,
      stallTimeoutMs: 30_000,
    });
    expect(s.agent.runs[0]?.signal).toBe(s.ctx.signal);
  });

  test("emits session-started and session-completed once each and counts the reported cost in the budget and the story", async () => {
    const s = setup({ run: [{ costUsd: 0.42, inputTokens: 900, outputTokens: 300, sessionId: "abc" }] });
    const outcome = await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "p" });
    expect(outcome.kind).toBe("done");
    expect(eventsOf(s.events, "agent:session-started")).toEqual([
      { purpose: "implement", agent: "claude", model: "claude-haiku", tier: "fast" },
    ]);
    expect(eventsOf(s.events, "agent:session-completed")).toEqual([
      expect.objectContaining({
        purpose: "implement",
        outcome: "success",
        costUsd: 0.42,
        inputTokens: 900,
        sessionId: "abc",
      }),
    ]);
    expect(s.budget.spent()).toBeCloseTo(0.42);
    expect(s.ctx.state.costUsd).toBeCloseTo(0.42);
  });

  test("usage the agent's stream reports becomes agent:usage events for the live line; other progress does not", async () => {
    const s = setup();
    await runAgentSession(s.ctx, s.deps, { purpose: "rectify", prompt: "p" });
    const onProgress = s.agent.runs[0]?.onProgress;
    if (!onProgress) throw new Error("the session was started without a progress callback");
    onProgress({ kind: "tool", detail: "Write a.ts" });
    onProgress({ kind: "usage", detail: "13 tokens", usage: { inputTokens: 12, outputTokens: 1 } });
    expect(eventsOf(s.events, "agent:usage")).toEqual([{ purpose: "rectify", inputTokens: 12, outputTokens: 1 }]);
  });

  test("refuses to start a session once the budget is spent", async () => {
    const s = setup({ budget: createBudget(2, 2.5), run: [] });
    const outcome = await runAgentSession(s.ctx, s.deps, { purpose: "rectify", prompt: "p" });
    expect(outcome.kind).toBe("cost-limit");
    expect(sessionStopResult(outcome)).toMatchObject({ action: "stop", reason: "cost-limit" });
    expect(s.agent.runs).toHaveLength(0);
    expect(s.events).toHaveLength(0);
  });

  test("a rate-limited session waits for the reset time and retries the same session", async () => {
    const s = setup({ run: [{ outcome: "rate-limited", retryAfterMs: 45_000, apiErrorStatus: 429, costUsd: 0 }, {}] });
    const start = s.clock.now();
    const outcome = await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "same prompt" });
    expect(outcome.kind).toBe("done");
    expect(s.clock.now() - start).toBe(45_000);
    expect(eventsOf(s.events, "agent:rate-limited")).toEqual([
      { waitMs: 45_000, until: new Date(start + 45_000).toISOString(), reason: "API status 429" },
    ]);
    expect(s.agent.runs.map((r) => r.prompt)).toEqual(["same prompt", "same prompt"]);
  });

  test("without a reset time it waits the default, and never longer than the maximum", async () => {
    const s = setup({
      run: [{ outcome: "rate-limited" }, { outcome: "rate-limited", retryAfterMs: 3_600_000 }, {}],
    });
    await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "p" });
    expect(eventsOf(s.events, "agent:rate-limited").map((e) => e.waitMs)).toEqual([60_000, 300_000]);
  });

  test("past rateLimit.maxRetries it asks for a pause, because a human must decide", async () => {
    const s = setup({ run: [{ outcome: "rate-limited" }, { outcome: "rate-limited" }, { outcome: "rate-limited" }] });
    const outcome = await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "p" });
    expect(outcome.kind).toBe("rate-limit-exhausted");
    const stop = sessionStopResult(outcome);
    expect(stop?.action).toBe("pause");
    expect(stop && "reason" in stop ? stop.reason : "").toContain("a human must decide");
    expect(eventsOf(s.events, "agent:rate-limited")).toHaveLength(2);
    expect(s.agent.runs).toHaveLength(3);
  });

  test("an abort during the rate-limit wait stops instead of starting another session", async () => {
    const controller = new AbortController();
    const s = setup({ run: [{ outcome: "rate-limited" }] });
    const ctx = { ...s.ctx, signal: controller.signal };
    const clock = { ...s.clock, sleep: async () => controller.abort() };
    const outcome = await runAgentSession(ctx, { ...s.deps, clock }, { purpose: "implement", prompt: "p" });
    expect(outcome.kind).toBe("aborted");
    expect(s.agent.runs).toHaveLength(1);
  });

  test("one-shot completions use the requested tier and timeout", async () => {
    const s = setup();
    const agent = createFakeAgent({ complete: [{ resultText: "{}" }] });
    await runAgentSession(
      s.ctx,
      { ...s.deps, agent },
      {
        purpose: "routing",
        prompt: "classify",
        mode: "complete",
        tier: "balanced",
        timeoutMs: 5_000,
      },
    );
    expect(agent.completions[0]?.options).toMatchObject({
      model: "sonnet",
      timeoutMs: 5_000,
      workdir: "/tmp/nax-project",
    });
    expect(eventsOf(s.events, "agent:session-started")[0]).toMatchObject({ purpose: "routing", tier: "balanced" });
  });
});
