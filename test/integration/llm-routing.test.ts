/**
 * Routing decides before the attempt: with `routing.strategy: "llm"` the
 * run's routing step asks the model (through @anthropic-ai/sdk, against the
 * loopback Messages API mock) once per story before any attempt, and the
 * first attempt runs on the tier the model's complexity maps to.
 */
import { describe, expect, test } from "bun:test";
import { StatusFileSchema } from "../../src/state/status-file";
import type { MockTurn } from "../helpers/mock-anthropic";
import { createTestProject, type TestProject } from "../helpers/project";
import { useSdkRoutingMock } from "../helpers/sdk-routing";

const sdk = useSdkRoutingMock();

const PRD = "nax/features/demo/prd.json";
// Keywords call this simple (a rename), the model will say complex.
const story = { id: "US-001", title: "Rename the greeting label", acceptanceCriteria: ["the label reads Hello"] };
const second = { id: "US-002", title: "Add a footer", acceptanceCriteria: ["the footer shows the year"] };
const third = { id: "US-003", title: "Add a header", acceptanceCriteria: ["the header shows the name"] };
const batch = (complexity: string) =>
  JSON.stringify({
    stories: ["US-001", "US-002", "US-003"].map((id) => ({
      id,
      complexity,
      testStrategy: "test-after",
      reasoning: "the model says so",
    })),
  });

async function llmProject(answers: MockTurn[]): Promise<TestProject> {
  sdk.mock().setScenario({ turns: [], sdk: answers });
  const project = await createTestProject({
    stories: [story, second, third],
    config: { routing: { strategy: "llm" }, quality: { commands: { test: "true" } } },
    script: { default: { actions: [{ append: { path: "src/label.txt", content: "Hello\n" } }] } },
  });
  return sdk.track(project);
}

const sdkSys = (p: TestProject) => sdk.sysFor(p);

const routingCalls = () =>
  sdk
    .mock()
    .requests()
    .filter((r) => r.kind === "side");

describe("LLM routing before the first attempt", () => {
  test("a story the keywords call simple but the model calls complex runs its first attempt on the powerful tier", async () => {
    const p = await llmProject([{ text: batch("complex"), usage: { input_tokens: 2000, output_tokens: 100 } }]);
    const run = await p.nax(["run", "-f", "demo"], { sys: sdkSys(p) });
    expect(run.code).toBe(0);
    const calls = await p.claudeCalls();
    const implement = calls.filter((c) => !c.argv.includes("--version") && c.model !== null);
    expect(implement[0]?.model).toBe("opus");
    const prd = await p.readJson<{ userStories: { routing: Record<string, unknown> }[] }>(PRD);
    expect(prd.userStories[0]?.routing).toMatchObject({
      complexity: "complex",
      modelTier: "powerful",
      decidedBy: "llm",
    });
    const status = StatusFileSchema.parse(await p.readJson("nax/status.json"));
    const routingUsd = (2000 * 1 + 100 * 5) / 1_000_000;
    expect(status.cost.routing).toEqual({ usd: routingUsd, source: "computed-from-tokens" });
    expect(status.cost.spent).toBeGreaterThanOrEqual(routingUsd);
  });

  test("a second run does not route an unchanged story again, and does route an edited one", async () => {
    const p = await llmProject([{ text: batch("complex") }]);
    // One attempt per run: US-002 and US-003 are still to run, with their persisted decisions, when the second starts.
    await p.nax(["run", "-f", "demo", "--max-iterations", "1"], { sys: sdkSys(p) });
    expect(routingCalls()).toHaveLength(1);
    await p.nax(["run", "-f", "demo", "--max-iterations", "1"], { sys: sdkSys(p) });
    expect(routingCalls()).toHaveLength(1);
    const prd = await p.readJson<{ userStories: Record<string, unknown>[] }>(PRD);
    (prd.userStories[2] as Record<string, unknown>).title = "Add a header with the name and the logo";
    await p.writeText(PRD, JSON.stringify(prd));
    await p.git(["commit", "-qam", "edit US-003"]);
    await p.nax(["run", "-f", "demo", "--max-iterations", "1"], { sys: sdkSys(p) });
    expect(routingCalls()).toHaveLength(2);
    expect(routingCalls()[1]?.userText).toContain("Story US-003");
    expect(routingCalls()[1]?.userText).not.toContain("Story US-002");
  });

  test("a 529 is retried and the second answer is used", async () => {
    const p = await llmProject([
      { error: { status: 529, headers: { "retry-after": "0" } } },
      { text: batch("expert") },
    ]);
    await p.nax(["run", "-f", "demo", "--max-iterations", "1"], { sys: sdkSys(p) });
    expect(routingCalls().map((r) => r.answer)).toEqual(["error 529", "text"]);
    const prd = await p.readJson<{ userStories: { routing: Record<string, unknown> }[] }>(PRD);
    expect(prd.userStories[0]?.routing).toMatchObject({ complexity: "expert", decidedBy: "llm" });
  });

  test("garbage from the model falls back to keywords, and the reason is in the run's log", async () => {
    const p = await llmProject([{ text: "no idea, sorry" }]);
    const run = await p.nax(["run", "-f", "demo", "--max-iterations", "1"], { sys: sdkSys(p) });
    const prd = await p.readJson<{ userStories: { routing: Record<string, unknown> }[] }>(PRD);
    expect(prd.userStories[0]?.routing).toMatchObject({ complexity: "simple", decidedBy: "keyword" });
    const logs = await p.nax(["logs", "-f", "demo"]);
    expect(`${run.out}${logs.out}`).toContain("US-001: LLM routing failed");
  });
});
