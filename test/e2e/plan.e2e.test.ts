/**
 * `nax plan` end to end: `bin/nax.ts plan` as a process, the REAL Claude Code
 * CLI as the planner, and the loopback model mock answering for the small
 * bundled spec (test/fixtures/plan-spec). The first answer leaves a story
 * without acceptance criteria; the retry (picked by the refusal heading nax
 * puts in its prompt) is valid and is written. Two real CLI sessions.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PLAN_HEADING, RETRY_HEADING } from "../../src/plan/prompt";
import { createClaudeTestEnv, realClaudePath } from "../helpers/claude-env";
import { type MockAnthropic, startMockAnthropic } from "../helpers/mock-anthropic";
import { createTestProject, type TestProject } from "../helpers/project";

const NAX = resolve(import.meta.dir, "../../bin/nax.ts");
const FIXTURE = join(import.meta.dir, "../fixtures/plan-spec");

const story = (id: string, criteria: string[], dependencies: string[] = []) => ({
  id,
  title: id === "US-001" ? "Cart total" : "Discount code",
  description: "From the spec.",
  acceptanceCriteria: criteria,
  dependencies,
});
const FIRST = { userStories: [story("US-001", ["an empty cart's total is 0"]), story("US-002", [])] };
const RETRY = {
  userStories: [
    story("US-001", ["an empty cart's total is 0", "the total is the sum of the prices"]),
    story("US-002", ["SAVE10 takes 10% off the total", "another code is refused with a message"], ["US-001"]),
  ],
};

const SCENARIOS = {
  plan: { match: PLAN_HEADING, turns: [{ text: `Here is the PRD:\n\`\`\`json\n${JSON.stringify(FIRST)}\n\`\`\`` }] },
  retry: { match: [PLAN_HEADING, RETRY_HEADING], turns: [{ text: JSON.stringify(RETRY) }] },
};

describe("nax plan with the real Claude Code CLI against the model mock", () => {
  let mock: MockAnthropic;
  let project: TestProject;
  let root: string;
  let result: { code: number; out: string; err: string };

  beforeAll(async () => {
    mock = startMockAnthropic({ scenarios: SCENARIOS });
    root = await mkdtemp(join(tmpdir(), "nax-plan-e2e-"));
    project = await createTestProject({
      files: {
        "nax/features/demo/spec.md": await readFile(join(FIXTURE, "spec.md"), "utf8"),
        "src/cart.ts": await readFile(join(FIXTURE, "cart.ts"), "utf8"),
      },
      config: { agents: { claude: { command: realClaudePath() } }, quality: { commands: { test: "true" } } },
    });
    const claudeEnv = await createClaudeTestEnv({ root, baseUrl: mock.url });
    const proc = Bun.spawn([process.execPath, NAX, "plan", "-f", "demo"], {
      cwd: project.dir,
      env: { ...claudeEnv, NAX_HOME: project.home, GIT_CONFIG_NOSYSTEM: "1", NO_COLOR: "1" },
      stdout: "pipe",
      stderr: "pipe",
      stdin: "ignore",
    });
    const [out, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    result = { out, err, code };
  }, 60_000);
  afterAll(async () => {
    await mock.stop();
    await project.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  test("exits 0 having written the retried answer as prd.json, with criterion ids", async () => {
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const prd = await project.readJson<{ userStories: Array<Record<string, unknown>> }>("nax/features/demo/prd.json");
    expect(prd.userStories.map((s) => [s.id, s.status, s.acceptanceCriteriaIds, s.dependencies])).toEqual([
      ["US-001", "pending", ["AC-1", "AC-2"], []],
      ["US-002", "pending", ["AC-1", "AC-2"], ["US-001"]],
    ]);
    expect(result.out).toContain("  US-002: Discount code (AC-1, AC-2, after US-001)");
  });

  test("the model saw the spec and its named file, then the refusal with the validation error", () => {
    const prompts = mock
      .requests()
      .filter((r) => r.kind === "messages" && r.turn === 0)
      .map((r) => r.userText ?? "");
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toContain("A shopping cart for the demo shop");
    expect(prompts[0]).toContain("export function cartTotal");
    expect(prompts[1]).toContain(RETRY_HEADING);
    expect(prompts[1]).toContain(
      "- userStories[1].acceptanceCriteria: every story needs at least one acceptance criterion",
    );
  });

  test("prints the cost of both sessions, which the CLI reported above zero from the mock's token usage", () => {
    const cost = /cost: \$([0-9.]+) in 2 sessions \(claude, model opus\)/.exec(result.out);
    expect(cost).not.toBeNull();
    expect(Number(cost?.[1])).toBeGreaterThan(0);
  });
});
