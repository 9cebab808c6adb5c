/**
 * `nax plan` with the fake Claude CLI: a bundled spec becomes a valid
 * prd.json; a malformed answer is retried once with its errors and then
 * refused with nothing written; a PRD with progress is not replaced without
 * --force; --dry-run writes nothing; criterion ids survive a re-plan; and
 * the spec reaches every story's prompt (`nax prompts`, and a real run).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PLAN_HEADING, RETRY_HEADING } from "../../src/plan/prompt";
import { createSys } from "../../src/system/sys";
import type { FakeClaudeScript } from "../fakes/fake-claude-script";
import { createTestProject, type TestProject } from "../helpers/project";

const SPEC_DIR = join(import.meta.dir, "../fixtures/plan-spec");
const PRD = "nax/features/demo/prd.json";

interface PlannedPrd {
  feature: string;
  userStories: Array<{
    id: string;
    status: string;
    acceptanceCriteria: string[];
    acceptanceCriteriaIds: string[];
    dependencies?: string[];
  }>;
}

const stories = (criteria: string[] = ["the total of an empty cart is 0", "the total adds every item's price"]) => ({
  userStories: [
    { id: "US-001", title: "Cart total", description: "Sum the prices.", acceptanceCriteria: criteria },
    {
      id: "US-002",
      title: "Discount code",
      description: "SAVE10 takes 10% off.",
      acceptanceCriteria: ["SAVE10 takes 10% off the total"],
      dependencies: ["US-001"],
    },
  ],
});
const answer = (value: unknown): FakeClaudeScript["default"] => ({
  result: { result: JSON.stringify(value), total_cost_usd: 0.0042 },
});

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

async function specProject(script: FakeClaudeScript): Promise<TestProject> {
  const files = {
    "nax/features/demo/spec.md": await readFile(join(SPEC_DIR, "spec.md"), "utf8"),
    "src/cart.ts": await readFile(join(SPEC_DIR, "cart.ts"), "utf8"),
  };
  project = await createTestProject({ files, script, config: { quality: { commands: { test: "true" } } } });
  return project;
}

const planCalls = async (p: TestProject) => (await p.claudeCalls()).filter((c) => c.prompt.startsWith(PLAN_HEADING));

describe("nax plan with the fake Claude CLI", () => {
  test("turns the bundled spec into a valid prd.json in one session, printing the stories and the cost", async () => {
    const p = await specProject({ default: answer(stories()) });
    const result = await p.nax(["plan", "-f", "demo"]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain("planned 2 stories with 3 acceptance criteria into");
    expect(result.out).toContain("  US-001: Cart total (AC-1, AC-2)\n  US-002: Discount code (AC-1, after US-001)");
    expect(result.out).toContain("cost: $0.0042 in 1 session (claude, model opus)");
    const prd = await p.readJson<PlannedPrd & { planned: unknown }>(PRD);
    expect(prd.planned).toMatchObject({ agent: "claude", model: "opus", sessions: 1, costUsd: 0.0042 });
    expect(prd.userStories.map((s) => [s.id, s.status, s.acceptanceCriteriaIds])).toEqual([
      ["US-001", "pending", ["AC-1", "AC-2"]],
      ["US-002", "pending", ["AC-1"]],
    ]);
    const [call, ...rest] = await planCalls(p);
    expect(rest).toHaveLength(0);
    expect(call?.argv).toContain("--max-turns");
    // The spec and the file its Files section names are in the prompt.
    expect(call?.prompt).toContain("A shopping cart for the demo shop");
    expect(call?.prompt).toContain("### src/cart.ts\n```\nexport interface Item");
    // The written PRD is one a run accepts.
    const dry = await p.nax(["run", "-f", "demo", "--dry-run"]);
    expect(dry.code).toBe(0);
  });

  test("the spec is part of every planned story's prompt, criteria shown with their ids", async () => {
    const p = await specProject({ default: answer(stories()) });
    await p.nax(["plan", "-f", "demo"]);
    const prompts = await p.nax(["prompts", "-f", "demo", "--json"]);
    const report = JSON.parse(prompts.out) as { prompts: Array<{ storyId: string; prompt: string }> };
    expect(report.prompts.map((x) => x.storyId)).toEqual(["US-001", "US-002"]);
    for (const { prompt } of report.prompts) {
      expect(prompt).toContain("### Feature spec (nax/features/demo/spec.md)");
      expect(prompt).toContain("A shopping cart for the demo shop");
    }
    expect(report.prompts[0]?.prompt).toContain("AC-1: the total of an empty cart is 0\nAC-2: the total adds");
  });

  test("a malformed answer is retried once with its errors, then refused with them and nothing written", async () => {
    const bad = { userStories: [{ id: "US-001", title: "Cart total", acceptanceCriteria: [] }] };
    const p = await specProject({
      sessions: [
        { match: RETRY_HEADING, result: { result: "Sorry, here it is: {oops}", total_cost_usd: 0.001 } },
        { match: PLAN_HEADING, result: { result: JSON.stringify(bad), total_cost_usd: 0.002 } },
      ],
    });
    const before = await p.snapshot();
    const result = await p.nax(["plan", "-f", "demo"]);
    expect(result.code).toBe(1);
    expect(result.err).toContain("the agent's PRD failed validation in 2 sessions; nothing was written to");
    expect(result.err).toContain("(answer): the answer is not valid JSON");
    expect(result.err).toContain("cost: $0.003 in 2 sessions");
    const calls = await planCalls(p);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.prompt).toContain(
      "- userStories[0].acceptanceCriteria: every story needs at least one acceptance criterion",
    );
    expect([...(await p.snapshot()).entries()]).toEqual([...before.entries()]);
  });

  test("a PRD whose stories have progress is refused without --force, before any session", async () => {
    const p = await specProject({ default: answer(stories()) });
    await p.nax(["plan", "-f", "demo"]);
    const prd = await p.readJson<PlannedPrd>(PRD);
    (prd.userStories[0] as { status: string }).status = "passed";
    await p.writeText(PRD, JSON.stringify(prd, null, 2));
    const refused = await p.nax(["plan", "-f", "demo"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("stories have progress (US-001 passed); nax plan replaces only a PRD");
    expect(await planCalls(p)).toHaveLength(1);
    expect((await p.readJson<PlannedPrd>(PRD)).userStories[0]?.status).toBe("passed");
    const forced = await p.nax(["plan", "-f", "demo", "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.out).toContain("replaced with --force: US-001 passed");
    expect((await p.readJson<PlannedPrd>(PRD)).userStories[0]?.status).toBe("pending");
  });

  test("--dry-run prints the PRD on stdout and writes nothing", async () => {
    const p = await specProject({ default: answer(stories()) });
    const before = await p.snapshot();
    const result = await p.nax(["plan", "-f", "demo", "--dry-run"]);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.out) as PlannedPrd;
    expect(printed.feature).toBe("demo");
    expect(printed.userStories.map((s) => s.id)).toEqual(["US-001", "US-002"]);
    expect(result.err).toContain("would plan (dry run, nothing written) 2 stories");
    expect([...(await p.snapshot()).entries()]).toEqual([...before.entries()]);
  });

  test("a re-plan keeps the id of each criterion whose text is unchanged and gives a new text a new id", async () => {
    const p = await specProject({ default: answer(stories()) });
    await p.nax(["plan", "-f", "demo"]);
    const edited = ["the total adds every item's price", "the total is rounded to cents"];
    await p.setScript({ default: answer(stories(edited)) });
    const again = await p.nax(["plan", "-f", "demo"]);
    expect(again.code).toBe(0);
    const prd = await p.readJson<PlannedPrd>(PRD);
    expect(prd.userStories[0]?.acceptanceCriteria).toEqual(edited);
    expect(prd.userStories[0]?.acceptanceCriteriaIds).toEqual(["AC-2", "AC-3"]);
    expect(prd.userStories[1]?.acceptanceCriteriaIds).toEqual(["AC-1"]);
    // The second session saw the current stories, to keep their ids.
    expect((await planCalls(p))[1]?.prompt).toContain("## The current prd.json");
  });

  test("a feature from `nax features create` is planned once its spec.md is filled in, replacing the template PRD", async () => {
    project = await createTestProject({ script: { default: answer(stories()) } });
    const p = project;
    const created = await p.nax(["features", "create", "shop"]);
    expect(created.out).toContain("next: describe the feature in spec.md and run `nax plan -f shop`");
    const untouched = await p.nax(["plan", "-f", "shop"]);
    expect(untouched.code).toBe(2);
    expect(untouched.err).toContain("spec.md: still the template from `nax features create`");
    expect(await planCalls(p)).toHaveLength(0);
    const spec = await readFile(join(p.dir, "nax/features/shop/spec.md"), "utf8");
    await p.writeText(
      "nax/features/shop/spec.md",
      spec.replace("What this feature is for and who uses it.", "A cart."),
    );
    const planned = await p.nax(["plan", "-f", "shop"]);
    expect(planned.code).toBe(0);
    const prd = await p.readJson<PlannedPrd & { $schema: string }>("nax/features/shop/prd.json");
    expect(prd.$schema).toBe("../../schemas/prd.schema.json");
    // The template's criteria are not the story's: its ids start at AC-1.
    expect(prd.userStories.map((s) => [s.id, s.acceptanceCriteriaIds])).toEqual([
      ["US-001", ["AC-1", "AC-2"]],
      ["US-002", ["AC-1"]],
    ]);
    // The template story was not shown to the planner as a story to keep.
    expect((await planCalls(p))[0]?.prompt).not.toContain("## The current prd.json");
  });

  test("a secret value in the spec never reaches the planner's prompt nor the printed PRD (trap 30)", async () => {
    const secret = "sk-plan-secret-0123456789";
    const p = await specProject({ default: answer(stories()) });
    const spec = await readFile(join(p.dir, "nax/features/demo/spec.md"), "utf8");
    await p.writeText("nax/features/demo/spec.md", `${spec}\nThe staging key is ${secret}.\n`);
    const sys = createSys({ env: { ...p.env, SHOP_API_KEY: secret }, naxHome: p.home });
    const result = await p.nax(["plan", "-f", "demo", "--dry-run"], { sys });
    expect(result.code).toBe(0);
    const [call] = await planCalls(p);
    expect(call?.prompt).toContain("The staging key is [redacted].");
    expect(call?.prompt).not.toContain(secret);
    expect(result.out + result.err).not.toContain(secret);
  });

  test("a planned PRD runs: each story's session gets the spec and its criteria with their ids", async () => {
    const p = await specProject({
      sessions: [
        { match: PLAN_HEADING, result: answer(stories())?.result },
        { match: "# Task: US-", actions: [{ append: { path: "src/work.txt", content: "done\n" } }] },
      ],
    });
    expect((await p.nax(["plan", "-f", "demo"])).code).toBe(0);
    p.git(["add", "-A"]);
    p.git(["commit", "-qm", "nax: plan demo"]);
    const run = await p.nax(["run", "-f", "demo", "--skip-precheck"]);
    expect(run.code).toBe(0);
    const prd = await p.readJson<PlannedPrd>(PRD);
    expect(prd.userStories.map((s) => s.status)).toEqual(["passed", "passed"]);
    const tasks = (await p.claudeCalls()).filter((c) => c.prompt.startsWith("# Task: US-"));
    expect(tasks).toHaveLength(2);
    for (const task of tasks) expect(task.prompt).toContain("A shopping cart for the demo shop");
    expect(tasks[1]?.prompt).toContain("AC-1: SAVE10 takes 10% off the total");
  });
});
