/**
 * The Claude adapter driving the REAL `claude` binary (devDependency) against
 * the loopback Messages API mock. Each real session costs ~0.6 s and ~300 MB,
 * so there are few of them and they run one after another.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClaudeAdapter } from "../../src/agents/claude/adapter";
import type { AgentAdapter, AgentProgress } from "../../src/agents/types";
import { createProcessGroups } from "../../src/system/process-groups";
import { createSpawner, type Spawner, type SpawnResult } from "../../src/system/spawn";
import { createSys } from "../../src/system/sys";
import { pidsWithEnv, waitUntilGone } from "../fakes/process-probe";
import { createClaudeTestEnv, realClaudePath } from "../helpers/claude-env";
import { type MockAnthropic, startMockAnthropic } from "../helpers/mock-anthropic";

let mock: MockAnthropic;
let root: string;
let workdir: string;

beforeAll(() => {
  mock = startMockAnthropic({
    scenarios: {
      write: {
        turns: [
          {
            text: "I'll create it.",
            tool_use: { name: "Write", input: { file_path: "{{cwd}}/hello.txt", content: "hello from the mock\n" } },
          },
          { text: "Created hello.txt." },
        ],
      },
      "rate-limited": {
        turns: [{ error: { status: 429, message: "mock rate limited", headers: { "retry-after": "1" } } }],
      },
      stall: { turns: [{ stall: true }] },
    },
  });
});
afterAll(async () => {
  await mock.stop();
});
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "nax-claude-e2e-"));
  workdir = join(root, "repo");
  await mkdir(workdir);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function realAdapter(scenario: string, options: { isSandbox?: boolean } = {}) {
  const env = await createClaudeTestEnv({ root, baseUrl: mock.url, scenario, ...options });
  const processes = createProcessGroups();
  const spawned: SpawnResult[] = [];
  const base = createSpawner(processes);
  // Keep the raw spawn results so the test can read the CLI's own stdout independently of the adapter.
  const spawn: Spawner = async (spawnOptions) => {
    const result = await base(spawnOptions);
    spawned.push(result);
    return result;
  };
  const sys = createSys({ env, naxHome: join(root, "nax-home"), processes, spawn });
  const adapter: AgentAdapter = createClaudeAdapter({ sys, command: realClaudePath(), killGraceMs: 1500 });
  return { adapter, spawned, env };
}

function cliResultEvent(result: SpawnResult | undefined): Record<string, unknown> {
  if (!result || result.kind === "not-found") throw new Error("the CLI did not run");
  const line = result.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((event) => event.type === "result");
  if (!line) throw new Error(`no result event in the CLI's stdout:\n${result.stdout.slice(-2000)}`);
  return line;
}

const runOptions = (overrides: { stallTimeoutMs?: number } = {}) => ({
  prompt: "# Task: US-001 — create hello.txt",
  workdir,
  model: "claude-sonnet-4-5",
  timeoutMs: 60_000,
  stallTimeoutMs: overrides.stallTimeoutMs ?? 30_000,
});

describe("the Claude adapter against the real CLI and the mock API", () => {
  test("a scripted Write tool call really creates the file and the cost is the CLI's total_cost_usd", async () => {
    const { adapter, spawned } = await realAdapter("write");
    const progress: AgentProgress[] = [];
    const result = await adapter.run({ ...runOptions(), onProgress: (p) => void progress.push(p) });
    expect(result.error).toBeUndefined();
    // The stream reports each message's usage while the session runs: tokens move before the result, cost does not.
    const usage = progress.flatMap((p) => (p.usage ? [p.usage.inputTokens + p.usage.outputTokens] : []));
    expect(usage.length).toBeGreaterThan(1);
    expect(usage).toEqual([...usage].sort((x, y) => x - y));
    expect(usage.at(-1) as number).toBeLessThanOrEqual(result.inputTokens + result.outputTokens);
    expect(result.outcome).toBe("success");
    expect(await readFile(join(workdir, "hello.txt"), "utf8")).toBe("hello from the mock\n");
    const event = cliResultEvent(spawned[0]);
    expect(typeof event.total_cost_usd).toBe("number");
    expect(result.costUsd).toBe(event.total_cost_usd as number);
    expect(result.costUsd).toBeGreaterThan(0);
    expect(result.numTurns).toBe(2);
    expect(result.resultText).toBe("Created hello.txt.");
    const toolTurn = mock.requests().find((r) => r.scenario === "write" && r.turn === 1);
    expect(toolTurn?.toolResults?.[0]?.content).toContain("File created successfully");
  });

  test("a persistent 429 with CLAUDE_CODE_MAX_RETRIES=1 classifies as rate-limited", async () => {
    const { adapter } = await realAdapter("rate-limited");
    const result = await adapter.run(runOptions());
    expect(result.outcome).toBe("rate-limited");
    expect(result.apiErrorStatus).toBe(429);
    expect(result.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(mock.requests().filter((r) => r.scenario === "rate-limited" && r.kind === "messages")).toHaveLength(2);
  });

  test("a stalled model stream is stopped by our stall timeout and no process of the session survives", async () => {
    const { adapter, env } = await realAdapter("stall");
    const marker = `CLAUDE_CONFIG_DIR=${env.CLAUDE_CONFIG_DIR}`;
    let seenWhileRunning: number[] = [];
    const started = Date.now();
    const result = await adapter.run({
      // Long enough for the CLI to start and print its init line on a loaded machine (the stall clock starts at spawn).
      ...runOptions({ stallTimeoutMs: 8000 }),
      // The probe must see the session's processes while it runs, or "none survive" would prove nothing.
      onProgress: (p) => {
        if (p.kind === "init") seenWhileRunning = pidsWithEnv(marker);
      },
    });
    expect(result.outcome).toBe("stalled");
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(seenWhileRunning.length).toBeGreaterThan(0);
    expect(await waitUntilGone(seenWhileRunning)).toBe(true);
    expect(pidsWithEnv(marker)).toEqual([]);
  });

  test.skipIf(process.getuid?.() !== 0)("as root without IS_SANDBOX the CLI's refusal is refused", async () => {
    const { adapter } = await realAdapter("write", { isSandbox: false });
    const result = await adapter.run(runOptions());
    expect(result.outcome).toBe("refused");
    expect(result.error).toContain("IS_SANDBOX=1");
    expect(result.stderrTail).toContain("cannot be used with root/sudo privileges");
  });
});

describe("the preflight against the real CLI", () => {
  test("isInstalled is ok with an API key, and says 'not logged in' with none, before any model call", async () => {
    const { adapter, env } = await realAdapter("write");
    const requestsBefore = mock.requests().filter((r) => r.kind === "messages").length;
    const withKey = await adapter.isInstalled();
    expect(withKey.ok).toBe(true);
    expect(withKey.version).toMatch(/^\d+\.\d+\.\d+/);

    const { ANTHROPIC_API_KEY: _key, ...withoutKey } = env;
    const sys = createSys({ env: withoutKey, naxHome: join(root, "nax-home") });
    const loggedOut = await createClaudeAdapter({ sys, command: realClaudePath() }).isInstalled();
    expect(loggedOut.ok).toBe(false);
    expect(loggedOut.message).toContain("not logged in");
    expect(mock.requests().filter((r) => r.kind === "messages")).toHaveLength(requestsBefore);
  });
});
