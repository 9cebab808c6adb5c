import { describe, expect, test } from "bun:test";
import { createFakeAgent } from "../../../fakes/fake-agent";
import { createFakeTestRunner } from "../../../fakes/fake-test-runner";
import { eventsOf, makeHarness } from "../helpers";

describe("the agent stage", () => {
  test.each(["error", "timeout", "stalled"] as const)(
    "an agent %s escalates (spending the attempt) without verifying",
    async (outcome) => {
      const h = makeHarness({
        agent: createFakeAgent({ run: [{ outcome, error: `session ${outcome}` }] }),
        tests: createFakeTestRunner([]),
      });
      const result = await h.run();
      expect(result.kind).toBe("escalate");
      expect(result.stage).toBe("agent");
      expect(result.reason).toBe(`agent session ended with ${outcome}: session ${outcome}`);
      expect(h.tests.calls).toHaveLength(0);
    },
  );

  test.each(["not-found", "refused", "auth-error"] as const)(
    "an unusable agent (%s) stops the run with the agent's own message instead of burning attempts",
    async (outcome) => {
      const h = makeHarness({
        agent: createFakeAgent({ run: [{ outcome, error: "install it: npm install -g @anthropic-ai/claude-code" }] }),
      });
      const result = await h.run();
      expect(result).toMatchObject({
        kind: "stop",
        reason: "agent-unusable",
        detail: "install it: npm install -g @anthropic-ai/claude-code",
      });
      expect(h.marked).toHaveLength(0);
    },
  );

  test("an aborted session stops the run as aborted", async () => {
    const h = makeHarness({ agent: createFakeAgent({ run: [{ outcome: "aborted" }] }) });
    const result = await h.run();
    expect(result).toMatchObject({ kind: "stop", reason: "aborted" });
  });

  test("a rate-limited session waits and retries inside the same attempt, then the story passes", async () => {
    const h = makeHarness({
      agent: createFakeAgent({ run: [{ outcome: "rate-limited", retryAfterMs: 30_000 }, {}] }),
    });
    const start = h.clock.now();
    const result = await h.run();
    expect(result.kind).toBe("passed");
    expect(h.clock.now() - start).toBe(30_000);
    expect(eventsOf(h.events, "agent:rate-limited")).toHaveLength(1);
    expect(eventsOf(h.events, "stage:completed").filter((e) => e.stage === "agent")).toEqual([
      expect.objectContaining({ action: "continue" }),
    ]);
  });

  test("rate limits past the retry cap pause the story", async () => {
    const h = makeHarness({
      agent: createFakeAgent({ run: Array.from({ length: 6 }, () => ({ outcome: "rate-limited" as const })) }),
    });
    const result = await h.run();
    expect(result.kind).toBe("pause");
    expect(result.reason).toContain("still rate limited after 5 waits");
  });
});
