/**
 * The real loop choosing agents: a run whose balanced tier is codex and
 * whose fast tier is claude sends each story to its CLI (the fakes of both),
 * visible in the events and the status; and a 429 that outlasts
 * rateLimit.maxWaitSeconds moves the story to the fallback agent without
 * spending an attempt.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { EventLineSchema } from "../../src/state/event-line";
import { StatusFileSchema } from "../../src/state/status-file";
import { createSys } from "../../src/system/sys";
import { fakeCliPath, readFakeCliLog, writeFakeCliScript } from "../fakes/fake-cli-script";
import { createTestProject, type TestProject } from "../helpers/project";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const BASE_CONFIG = {
  quality: { commands: { test: "true" } },
  execution: { regressionGate: { mode: "disabled" }, rectification: { maxRetries: 0 } },
  agents: { codex: { command: fakeCliPath("codex") } },
};

/** The project plus the fake codex's script and log, wired into the env the run sees. */
async function projectWith(options: { stories: Record<string, unknown>[]; config: Record<string, unknown> }) {
  const p = await createTestProject({ stories: options.stories, config: { ...BASE_CONFIG, ...options.config } });
  const root = dirname(p.dir);
  const codexLog = join(root, "fake-codex.log");
  const codexScript = await writeFakeCliScript(root, {
    default: {
      actions: [
        { append: { path: "codex.txt", content: "codex\n" } },
        // Bounded wait: the status file shows this session's agent once its subscriber has written it.
        {
          run: 'for i in $(seq 100); do grep -q \'"agent": *"codex"\' "$(git rev-parse --git-common-dir)/../nax/status.json" && break; sleep 0.05; done; cp "$(git rev-parse --git-common-dir)/../nax/status.json" "$(git rev-parse --git-common-dir)/../../status-during-codex.json"',
        },
      ],
    },
  });
  const sys = createSys({
    env: { ...p.env, NAX_FAKE_AGENT_SCRIPT: codexScript, NAX_FAKE_AGENT_LOG: codexLog },
    naxHome: p.home,
  });
  return { p, sys, root, codexLog };
}

async function events(p: TestProject) {
  const status = StatusFileSchema.parse(await p.readJson("nax/status.json"));
  const text = await readFile(join(p.dir, "nax/features/demo/runs", `${status.run.id}.jsonl`), "utf8");
  return text
    .trim()
    .split("\n")
    .map((line) => EventLineSchema.parse(JSON.parse(line)));
}

describe("choosing agents in a run", () => {
  test("the balanced tier on codex and the fast tier on claude: each story goes to its own CLI", async () => {
    const { p, sys, root, codexLog } = await projectWith({
      stories: [
        { id: "US-001", title: "a simple story", routing: { complexity: "simple" } },
        { id: "US-002", title: "a medium story", routing: { complexity: "medium" }, dependencies: ["US-001"] },
      ],
      config: { models: { fast: {}, balanced: { agent: "codex" }, powerful: {} } },
    });
    project = p;
    await p.setScript({ default: { actions: [{ append: { path: "claude.txt", content: "claude\n" } }] } });
    const result = await p.nax(["run", "-f", "demo", "--skip-precheck"], { sys });
    expect(result.err).toBe("");
    expect(result.code).toBe(0);

    const started = (await events(p)).filter((e) => e.type === "agent:session-started");
    expect(started.map((e) => [e.data.storyId, e.data.agent, e.data.model])).toEqual([
      ["US-001", "claude", "haiku"],
      ["US-002", "codex", "gpt-5.1-codex"],
    ]);
    const claudeCalls = await p.claudeCalls();
    const codexCalls = await readFakeCliLog(codexLog);
    expect(claudeCalls.map((c) => c.prompt.includes("US-001"))).toEqual([true]);
    expect(codexCalls.map((c) => c.prompt.includes("US-002"))).toEqual([true]);

    const during = StatusFileSchema.parse(JSON.parse(await readFile(join(root, "status-during-codex.json"), "utf8")));
    expect(during.current).toMatchObject({
      storyId: "US-002",
      agent: "codex",
      model: "gpt-5.1-codex",
      tier: "balanced",
    });
    expect(during.cost.estimated).toBeUndefined();
    const final = StatusFileSchema.parse(await p.readJson("nax/status.json"));
    // The codex session's cost is tokens × its price table: counted, and labelled estimated.
    expect(final.cost.estimated).toBeGreaterThan(0);
    expect(final.cost.spent).toBeGreaterThan(final.cost.estimated ?? 0);
  });

  test("a 429 past rateLimit.maxWaitSeconds switches the story to the fallback agent without spending an attempt", async () => {
    const { p, sys, codexLog } = await projectWith({
      stories: [{ id: "US-001", title: "a simple story", routing: { complexity: "simple" } }],
      config: {
        autoMode: { fallback: ["codex"] },
        execution: { ...BASE_CONFIG.execution, rateLimit: { maxWaitSeconds: 60 } },
      },
    });
    project = p;
    await p.setScript({
      default: {
        result: {
          is_error: true,
          api_error_status: 429,
          result: "API Error: 429 rate_limit_error, retry after 3600 seconds",
          omitCost: true,
        },
      },
    });
    const result = await p.nax(["run", "-f", "demo", "--skip-precheck"], { sys });
    expect(result.code).toBe(0);

    const lines = await events(p);
    const switched = lines.filter((e) => e.type === "agent:switched");
    expect(switched.map((e) => [e.data.from, e.data.to, e.data.model])).toEqual([
      ["claude", "codex", "gpt-5.1-codex-mini"],
    ]);
    expect(String(switched[0]?.data.reason)).toContain("past rateLimit.maxWaitSeconds (60 s)");
    expect(lines.filter((e) => e.type === "agent:rate-limited")).toEqual([]);
    expect(lines.filter((e) => e.type === "story:started")).toHaveLength(1);
    expect((await readFakeCliLog(codexLog)).length).toBe(1);

    const prd = await p.readJson<{ userStories: Array<{ status: string; attempts: number }> }>(
      "nax/features/demo/prd.json",
    );
    expect(prd.userStories[0]).toMatchObject({ status: "passed", attempts: 1 });
    const status = StatusFileSchema.parse(await p.readJson("nax/status.json"));
    expect(status.agentSwitches).toEqual([expect.objectContaining({ storyId: "US-001", from: "claude", to: "codex" })]);
    const shown = await p.nax(["status"], { sys });
    expect(shown.out).toContain("agent switched for US-001");
    expect(shown.out).toContain("claude → codex");
  });
});
