import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentAdapter, AgentResult } from "../../../src/agents/types";
import { type PlanRequest, planFeature } from "../../../src/plan/plan-feature";
import { RETRY_HEADING } from "../../../src/plan/prompt";
import { createSys } from "../../../src/system/sys";

let root: string;
let workdir: string;
const prdPath = () => join(workdir, "nax/features/cart/prd.json");
const VALID = JSON.stringify({
  userStories: [{ id: "US-001", title: "Show the cart", acceptanceCriteria: ["lists the items"] }],
});
const NO_CRITERIA = JSON.stringify({ userStories: [{ id: "US-001", title: "Show the cart", acceptanceCriteria: [] }] });

function scriptedAgent(answers: Array<Partial<AgentResult>>) {
  const prompts: string[] = [];
  const models: string[] = [];
  const agent: AgentAdapter = {
    name: "scripted",
    capabilities: {
      reportsCost: true,
      reportsTokens: true,
      canResume: false,
      canRestrictEdits: false,
      hasOneShotCompletion: true,
    },
    models: {},
    isInstalled: async () => ({ ok: true }),
    run: async () => {
      throw new Error("plan never runs a full session");
    },
    complete: async (prompt, options) => {
      prompts.push(prompt);
      models.push(options.model);
      const answer = answers[prompts.length - 1] ?? {};
      return {
        outcome: "success",
        costUsd: 0.01,
        inputTokens: 0,
        outputTokens: 0,
        durationMs: 1,
        numTurns: 1,
        resultText: "",
        exitCode: 0,
        permissionDenials: 0,
        stderrTail: "",
        ...answer,
      };
    },
  };
  return { agent, prompts, models };
}

async function plan(agent: AgentAdapter, request: Partial<PlanRequest> = {}) {
  const sys = createSys({ env: {}, naxHome: join(root, "home") });
  return planFeature(
    sys,
    { dir: workdir, feature: "cart", force: false, dryRun: false, ...request },
    { agent: () => agent },
  );
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "nax-plan-"));
  workdir = join(root, "project");
  await mkdir(join(workdir, "nax/features/cart"), { recursive: true });
  await writeFile(join(workdir, "nax/features/cart/spec.md"), "# cart\n\nUsers keep items in a cart.\n");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("planFeature", () => {
  test("a valid first answer is written after one session on the powerful tier's model", async () => {
    const { agent, prompts, models } = scriptedAgent([{ resultText: VALID, costUsd: 0.25 }]);
    const report = await plan(agent);
    expect(report).toMatchObject({ kind: "planned", written: true, costUsd: 0.25, model: "opus" });
    expect(prompts).toHaveLength(1);
    expect(models).toEqual(["opus"]);
    const written = JSON.parse(await readFile(prdPath(), "utf8"));
    expect(written.userStories[0]).toMatchObject({ id: "US-001", acceptanceCriteriaIds: ["AC-1"], status: "pending" });
  });

  test("an invalid answer is sent back once with its errors, and the corrected one is written", async () => {
    const { agent, prompts } = scriptedAgent([{ resultText: NO_CRITERIA }, { resultText: VALID }]);
    const report = await plan(agent);
    expect(report.kind).toBe("planned");
    expect(report.sessions.map((s) => s.outcome)).toEqual(["invalid", "valid"]);
    expect(report.costUsd).toBeCloseTo(0.02, 10);
    expect(prompts[1]).toContain(RETRY_HEADING);
    expect(prompts[1]).toContain(
      "- userStories[0].acceptanceCriteria: every story needs at least one acceptance criterion",
    );
  });

  test("a second invalid answer is refused with its errors and nothing is written", async () => {
    const { agent, prompts } = scriptedAgent([{ resultText: NO_CRITERIA }, { resultText: "no JSON here" }]);
    const report = await plan(agent);
    expect(report.kind).toBe("refused");
    if (report.kind !== "refused") return;
    expect(report.problems).toEqual(["(answer): the answer holds no JSON object; answer with one JSON object"]);
    expect(prompts).toHaveLength(2);
    expect(await Bun.file(prdPath()).exists()).toBe(false);
  });

  test("a failed session is reported with its cost and not retried", async () => {
    const { agent, prompts } = scriptedAgent([{ outcome: "rate-limited", error: "429 from the API", costUsd: 0.003 }]);
    const report = await plan(agent);
    expect(report).toMatchObject({ kind: "agent-failed", costUsd: 0.003 });
    if (report.kind === "agent-failed") expect(report.error).toContain("rate-limited: 429 from the API");
    expect(prompts).toHaveLength(1);
  });

  test("no retry starts once the cost limit is spent", async () => {
    const { agent, prompts } = scriptedAgent([{ resultText: NO_CRITERIA, costUsd: 0.5 }]);
    const report = await plan(agent, { costLimit: 0.5 });
    expect(report.kind).toBe("agent-failed");
    if (report.kind === "agent-failed") {
      expect(report.error).toBe("cost limit reached ($0.50 spent of $0.50) before session 2; nothing was written");
    }
    expect(prompts).toHaveLength(1);
    expect(await Bun.file(prdPath()).exists()).toBe(false);
  });

  test("a PRD with progress is refused before any session, unless --force or --dry-run", async () => {
    const progressed = {
      project: "p",
      feature: "cart",
      userStories: [{ id: "US-001", title: "t", acceptanceCriteria: ["a"], status: "passed", attempts: 1 }],
    };
    await writeFile(prdPath(), JSON.stringify(progressed));
    const { agent, prompts } = scriptedAgent([{ resultText: VALID }, { resultText: VALID }, { resultText: VALID }]);
    await expect(plan(agent)).rejects.toThrow("stories have progress (US-001 passed after 1 attempt(s))");
    expect(prompts).toHaveLength(0);
    const dry = await plan(agent, { dryRun: true });
    expect(dry).toMatchObject({ kind: "planned", written: false });
    expect(JSON.parse(await readFile(prdPath(), "utf8"))).toEqual(progressed);
    const forced = await plan(agent, { force: true });
    expect(forced).toMatchObject({ kind: "planned", written: true, replaced: ["US-001 passed after 1 attempt(s)"] });
  });

  test("a prd.json that does not load is not replaced without --force", async () => {
    await writeFile(prdPath(), "{ not json");
    const { agent } = scriptedAgent([{ resultText: VALID }]);
    await expect(plan(agent)).rejects.toThrow("nax plan will not replace a prd.json it cannot read");
    expect(await readFile(prdPath(), "utf8")).toBe("{ not json");
  });

  test("a tier that is not in models is a usage error naming the tiers", async () => {
    const { agent } = scriptedAgent([]);
    await expect(plan(agent, { tier: "huge" })).rejects.toThrow(
      '--tier "huge" is not a tier in models (fast, balanced, powerful)',
    );
  });

  test("a live run of the same feature refuses the plan (lock held) before any session; a dry run still plans", async () => {
    const lock = {
      pid: process.pid,
      hostname: hostname(),
      runId: "r1",
      feature: "cart",
      startedAt: "2026-01-01T00:00:00Z",
    };
    await writeFile(join(workdir, "nax.lock"), JSON.stringify(lock));
    const { agent, prompts } = scriptedAgent([{ resultText: VALID }]);
    await expect(plan(agent)).rejects.toThrow('a run of feature "cart" is in progress');
    expect(prompts).toHaveLength(0);
    expect(await plan(agent, { dryRun: true })).toMatchObject({ kind: "planned", written: false });
  });
});
