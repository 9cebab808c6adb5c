import { describe, expect, test } from "bun:test";
import { UserStorySchema } from "../../../src/prd/schema";
import { applyStoryAction } from "../../../src/prd/story-actions";

const who = { by: "ada@host", at: "2026-03-07T06:00:00.000Z" };
const failed = UserStorySchema.parse({
  id: "US-002",
  title: "t",
  status: "failed",
  attempts: 3,
  routing: { complexity: "simple", modelTier: "balanced" },
  priorFailures: [
    { attempt: 1, tier: "fast", stage: "verify", summary: "x" },
    { attempt: 2, tier: "fast", stage: "verify", summary: "x" },
    { attempt: 3, tier: "balanced", stage: "verify", summary: "x" },
  ],
  escalations: [{ fromTier: "fast", toTier: "balanced", reason: "r", at: "t" }],
});

describe("applyStoryAction", () => {
  test("reset sets the story back to pending, keeps attempts and failures, and warns about the spent budgets", () => {
    const result = applyStoryAction(failed, { action: "reset", clearAttempts: false }, who);
    if (result.kind !== "changed") throw new Error("expected a change");
    expect(result.story.status).toBe("pending");
    expect(result.story.attempts).toBe(3);
    expect(result.story.priorFailures).toHaveLength(3);
    expect(result.notes.join(" ")).toContain("--clear-attempts");
    expect(result.story.decisions).toEqual([{ action: "reset", by: "ada@host", at: who.at, from: "failed" }]);
  });

  test("reset --clear-attempts starts the ladder over from the tier before any escalation", () => {
    const result = applyStoryAction(failed, { action: "reset", clearAttempts: true }, who);
    if (result.kind !== "changed") throw new Error("expected a change");
    expect(result.story.attempts).toBe(0);
    expect(result.story.priorFailures).toBeUndefined();
    expect(result.story.escalations).toBeUndefined();
    expect(result.story.routing?.modelTier).toBe("fast");
    expect(result.story.decisions?.[0]?.clearedAttempts).toBe(3);
  });

  test("pass records a human decision with who, when and why", () => {
    const result = applyStoryAction(failed, { action: "pass", reason: "verified by hand" }, who);
    if (result.kind !== "changed") throw new Error("expected a change");
    expect(result.story.status).toBe("passed");
    expect(result.story.decisions?.at(-1)).toEqual({
      action: "pass",
      by: "ada@host",
      at: who.at,
      reason: "verified by hand",
      from: "failed",
    });
  });

  test("skipping a skipped story changes nothing and says so", () => {
    const skipped = { ...failed, status: "skipped" as const };
    expect(applyStoryAction(skipped, { action: "skip" }, who)).toEqual({
      kind: "unchanged",
      why: "US-002 is already skipped; nothing changed",
    });
  });

  test("fields nax does not know survive the change", () => {
    const story = UserStorySchema.parse({ id: "A", title: "t", status: "failed", jiraKey: "X-1" });
    const result = applyStoryAction(story, { action: "skip" }, who);
    if (result.kind !== "changed") throw new Error("expected a change");
    expect((result.story as Record<string, unknown>).jiraKey).toBe("X-1");
  });
});
