import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type { ConfigInput } from "../../../src/config/schema";
import { createLlmRouter } from "../../../src/routing/llm-router";
import { createSdkCompletion } from "../../../src/routing/sdk-completion";
import { type Clock, createManualClock, createSystemClock } from "../../../src/system/clock";
import { type MockAnthropic, type MockTurn, startMockAnthropic } from "../../helpers/mock-anthropic";
import { makeConfig, makeStory } from "../pipeline/helpers";

let mock: MockAnthropic;
beforeAll(() => {
  mock = startMockAnthropic({ scenario: { turns: [] } });
});
afterAll(() => mock.stop());
beforeEach(() => mock.reset());

const stories = [
  makeStory({ id: "US-001", title: "Rename a label", acceptanceCriteria: ["the label reads Save"] }),
  makeStory({ id: "US-002", title: "Fix a typo", acceptanceCriteria: ["no typo"] }),
];
const answer = (entries: { id: string; complexity: string }[]) =>
  JSON.stringify({ stories: entries.map((e) => ({ ...e, testStrategy: "test-after", reasoning: "judged" })) });

function routerWith(sdk: MockTurn[], config: ConfigInput = {}, clock: Clock = createManualClock()) {
  mock.setScenario({ turns: [], sdk });
  const full = makeConfig({ routing: { strategy: "llm", ...config.routing }, ...config });
  const env = { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: mock.url };
  const sdkCompletion = createSdkCompletion(full, env, clock);
  if (sdkCompletion.kind !== "ready") throw new Error(sdkCompletion.why);
  return createLlmRouter({ config: full, completion: sdkCompletion.completion, clock });
}

const sdkRequests = () => mock.requests().filter((r) => r.kind === "side");

describe("LLM routing through @anthropic-ai/sdk against a loopback Messages API", () => {
  test("one call routes every story; the model's complexity sets the tier; cost is computed from tokens", async () => {
    const router = routerWith([
      {
        text: answer([
          { id: "US-001", complexity: "complex" },
          { id: "US-002", complexity: "simple" },
        ]),
        usage: { input_tokens: 1000, output_tokens: 200 },
      },
    ]);
    const batch = await router.decide(stories);
    expect(sdkRequests()).toHaveLength(1);
    expect(sdkRequests()[0]?.model).toBe("claude-haiku-4-5");
    expect(batch.decisions.get("US-001")).toMatchObject({ complexity: "complex", tier: "powerful", decidedBy: "llm" });
    expect(batch.decisions.get("US-002")).toMatchObject({ complexity: "simple", tier: "fast", decidedBy: "llm" });
    expect(batch.cost).toEqual({ usd: (1000 * 1 + 200 * 5) / 1_000_000, source: "computed-from-tokens" });
  });

  test("a 529 then a good answer is retried, waiting as retry-after says", async () => {
    const clock = createManualClock();
    const router = routerWith(
      [
        { error: { status: 529, headers: { "retry-after": "3" } } },
        {
          text: answer([
            { id: "US-001", complexity: "medium" },
            { id: "US-002", complexity: "medium" },
          ]),
        },
      ],
      {},
      clock,
    );
    const started = clock.now();
    const batch = await router.decide(stories);
    expect(sdkRequests().map((r) => r.answer)).toEqual(["error 529", "text"]);
    expect(clock.now() - started).toBe(3000);
    expect(batch.decisions.get("US-001")?.decidedBy).toBe("llm");
  });

  test("garbage from the model falls back to keywords, with the reason in the decision and the notes", async () => {
    const router = routerWith([{ text: "I think these are fine." }], { routing: { llm: { mode: "one-shot" } } });
    const batch = await router.decide(stories);
    const decision = batch.decisions.get("US-001");
    expect(decision?.decidedBy).toBe("keyword");
    expect(decision?.reasoning).toContain("LLM routing failed: the answer holds no JSON object");
    expect(batch.notes.some((n) => n.includes("US-001: LLM routing failed"))).toBe(true);
  });

  test("hybrid asks again, one story at a time, for what the batch answer left out or got wrong", async () => {
    const single = JSON.stringify({ complexity: "expert", testStrategy: "test-first", reasoning: "alone" });
    const router = routerWith([
      {
        text: JSON.stringify({
          stories: [
            { id: "US-001", complexity: "medium", testStrategy: "test-after" },
            { id: "US-002", complexity: "huge" },
          ],
        }),
      },
      { text: single },
    ]);
    const batch = await router.decide(stories);
    expect(sdkRequests()).toHaveLength(2);
    expect(sdkRequests()[1]?.userText).toContain("Story US-002");
    expect(batch.decisions.get("US-002")).toMatchObject({ complexity: "expert", decidedBy: "llm" });
  });

  test("a call that never answers is cut by the timeout, and the story falls back without a late rejection", async () => {
    const router = routerWith(
      [{ hang: true }],
      {
        routing: { llm: { mode: "one-shot", timeoutMs: 300, retries: 0 } },
      },
      createSystemClock(),
    );
    const batch = await router.decide(stories.slice(0, 1));
    expect(batch.decisions.get("US-001")?.reasoning).toContain("no answer within 300 ms");
  });

  test("a non-retryable error (400) is not retried", async () => {
    const router = routerWith([{ error: { status: 400, message: "bad request" } }], {
      routing: { llm: { mode: "one-shot" } },
    });
    await router.decide(stories);
    expect(sdkRequests()).toHaveLength(1);
  });
});

describe("when the SDK cannot be used", () => {
  test("without an API key the SDK is unavailable, and says why", () => {
    const result = createSdkCompletion(makeConfig({ routing: { strategy: "llm" } }), {}, createManualClock());
    expect(result).toEqual({ kind: "unavailable", why: "ANTHROPIC_API_KEY is not set" });
  });

  test("a model without a price is never called: its cost could not count against the limit", () => {
    const config = makeConfig({ routing: { strategy: "llm", llm: { model: "claude-mystery-9" } } });
    const result = createSdkCompletion(config, { ANTHROPIC_API_KEY: "k" }, createManualClock());
    expect(result.kind === "unavailable" ? result.why : "").toContain(
      "routing.llm.pricing has no price for claude-mystery-9",
    );
  });
});
