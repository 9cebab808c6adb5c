/**
 * Which agent a session runs on (the tier's, the story's pin, the default)
 * and the switch to `autoMode.fallback` when that agent is not installed or
 * rate limited past the wait: announced as `agent:switched`, no attempt
 * spent, no wait sat out.
 */
import { describe, expect, test } from "bun:test";
import { createAgentPool } from "../../../src/agents/pool";
import type { AgentName } from "../../../src/config/schema";
import { runAgentSession } from "../../../src/pipeline/agent-session";
import { createBudget } from "../../../src/pipeline/budget";
import { createManualClock } from "../../../src/system/clock";
import { createFakeAgent, type FakeAgent } from "../../fakes/fake-agent";
import { eventsOf, makeConfig, makeContext, makeStory } from "./helpers";

type Steps = NonNullable<Parameters<typeof createFakeAgent>[0]>["run"];

function setup(options: {
  agents: Partial<Record<AgentName, Steps>>;
  config?: Parameters<typeof makeConfig>[0];
  story?: Record<string, unknown>;
  tier?: string;
}) {
  const config = makeConfig({
    models: { fast: {}, balanced: { agent: "codex" }, powerful: {} },
    execution: { rateLimit: { defaultWaitSeconds: 60, maxWaitSeconds: 300, maxRetries: 2 } },
    ...options.config,
  });
  const fakes = new Map<AgentName, FakeAgent>();
  for (const [name, run] of Object.entries(options.agents))
    fakes.set(name as AgentName, createFakeAgent({ name, run }));
  const pool = createAgentPool((name) => {
    const fake = fakes.get(name);
    if (!fake) throw new Error(`no fake for ${name}`);
    return fake;
  });
  const clock = createManualClock();
  const made = makeContext({
    config,
    tier: options.tier ?? "fast",
    ...(options.story ? { story: makeStory(options.story) } : {}),
  });
  const deps = { agent: pool.get("claude"), agents: pool, clock, budget: createBudget(10) };
  return { ...made, fakes, pool, clock, deps };
}

describe("choosing the agent", () => {
  test("the balanced tier names codex: its session runs on codex with codex's own model for the tier", async () => {
    const s = setup({ agents: { claude: [], codex: [{}] }, tier: "balanced" });
    const outcome = await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "p" });
    expect(outcome.kind).toBe("done");
    expect(s.fakes.get("codex")?.runs[0]?.model).toBe("gpt-5.1-codex");
    expect(s.fakes.get("claude")?.runs).toEqual([]);
    expect(eventsOf(s.events, "agent:session-started")).toEqual([
      { purpose: "implement", agent: "codex", model: "gpt-5.1-codex", tier: "balanced" },
    ]);
  });

  test("the fast tier names no agent: it runs on the default agent with its map's model", async () => {
    const s = setup({ agents: { claude: [{}], codex: [] } });
    await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "p" });
    expect(s.fakes.get("claude")?.runs[0]?.model).toBe("haiku");
  });

  test("a story's pin wins over its tier: agent and model", async () => {
    const s = setup({ agents: { claude: [], gemini: [{}] }, story: { agent: "gemini", model: "gemini-2.5-flash" } });
    await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "p" });
    expect(s.fakes.get("gemini")?.runs[0]?.model).toBe("gemini-2.5-flash");
  });

  test("an agent reporting neither cost nor tokens is refused, with the reason, for a run with a cost limit", async () => {
    const s = setup({ agents: { claude: [{}] } });
    const claude = s.fakes.get("claude") as FakeAgent;
    Object.assign(claude, { capabilities: { ...claude.capabilities, reportsCost: false, reportsTokens: false } });
    const outcome = await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "p" });
    expect(outcome.kind === "done" && outcome.result.outcome).toBe("refused");
    expect(outcome.kind === "done" && outcome.result.error).toContain("execution.costLimit");
    expect(claude.runs).toEqual([]);
  });
});

describe("falling back", () => {
  const fallback = { autoMode: { fallback: ["codex" as const] } };

  test("a 429 whose reset is past rateLimit.maxWaitSeconds switches to the fallback at once, without waiting", async () => {
    const s = setup({
      agents: {
        claude: [{ outcome: "rate-limited", retryAfterMs: 3_600_000, error: "429" }],
        codex: [{ costUsd: 0.1 }],
      },
      config: fallback,
    });
    const started = s.clock.now();
    const outcome = await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "p" });
    expect(outcome.kind === "done" && outcome.result.outcome).toBe("success");
    expect(s.clock.now()).toBe(started);
    expect(eventsOf(s.events, "agent:rate-limited")).toEqual([]);
    const [switched] = eventsOf(s.events, "agent:switched");
    // The fast tier on codex: codex's own model for it.
    expect(switched).toMatchObject({ from: "claude", to: "codex", model: "gpt-5.1-codex-mini" });
    expect(switched?.reason).toContain("past rateLimit.maxWaitSeconds (300 s)");
    expect(s.fakes.get("codex")?.runs[0]?.prompt).toBe("p");
  });

  test("a 429 within the wait is waited out on the same agent, fallback or not", async () => {
    const s = setup({
      agents: { claude: [{ outcome: "rate-limited", retryAfterMs: 30_000 }, {}], codex: [] },
      config: fallback,
    });
    await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "p" });
    expect(eventsOf(s.events, "agent:switched")).toEqual([]);
    expect(eventsOf(s.events, "agent:rate-limited")).toHaveLength(1);
    expect(s.fakes.get("claude")?.runs).toHaveLength(2);
  });

  test("without a fallback a long 429 waits the maximum, as before", async () => {
    const s = setup({ agents: { claude: [{ outcome: "rate-limited", retryAfterMs: 3_600_000 }, {}] } });
    await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "p" });
    expect(eventsOf(s.events, "agent:rate-limited")).toEqual([expect.objectContaining({ waitMs: 300_000 })]);
  });

  test("an agent not installed hands over to the fallback, and later sessions of the run go straight there", async () => {
    const s = setup({
      agents: { claude: [{ outcome: "not-found", error: "claude not found" }], codex: [{}, {}] },
      config: fallback,
    });
    await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "first" });
    await runAgentSession(s.ctx, s.deps, { purpose: "rectify", prompt: "second" });
    expect(s.fakes.get("claude")?.runs).toHaveLength(1);
    expect(s.fakes.get("codex")?.runs.map((r) => r.prompt)).toEqual(["first", "second"]);
    const switches = eventsOf(s.events, "agent:switched");
    expect(switches).toHaveLength(2);
    expect(switches.every((w) => w.reason === "claude is not installed")).toBe(true);
  });

  test("when every fallback is out too, the session's own outcome stands", async () => {
    const s = setup({
      agents: { claude: [{ outcome: "not-found" }], codex: [{ outcome: "not-found" }] },
      config: fallback,
    });
    const outcome = await runAgentSession(s.ctx, s.deps, { purpose: "implement", prompt: "p" });
    expect(outcome.kind === "done" && outcome.result.outcome).toBe("not-found");
    expect(eventsOf(s.events, "agent:switched")).toHaveLength(1);
  });
});
