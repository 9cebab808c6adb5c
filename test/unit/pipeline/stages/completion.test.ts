import { describe, expect, test } from "bun:test";
import { createCompletionStage } from "../../../../src/pipeline/stages/completion";
import { createManualClock } from "../../../../src/system/clock";
import { makeContext } from "../helpers";

describe("the completion stage", () => {
  test("marks the story passed first, then commits, so the PRD update is in the story's commit", async () => {
    const order: string[] = [];
    const stage = createCompletionStage({
      clock: createManualClock(),
      prd: {
        async markPassed(storyId, details) {
          order.push(`mark ${storyId} attempts=${details.attempts} cost=${details.cost} tier=${details.routing?.tier}`);
        },
      },
      git: {
        async commitStory(input) {
          order.push(`commit ${input.storyId} "${input.title}" ${input.runId} in ${input.cwd}`);
          return { committed: true, sha: "f00d" };
        },
      },
    });
    const routing = { complexity: "simple", tier: "fast", model: "haiku", testStrategy: "test-after", reasoning: "r" };
    const { ctx } = makeContext({ attempt: 3, state: { costUsd: 1.5, routing } });
    const result = await stage.run(ctx);
    expect(order).toEqual([
      "mark US-001 attempts=3 cost=1.5 tier=fast",
      'commit US-001 "Greet the user by name" run-2026-03-07T05-30-00-000Z in /tmp/nax-project',
    ]);
    expect(result).toEqual({ action: "continue", patch: { commit: "f00d" } });
  });

  test("a commit that fails fails the story with git's message", async () => {
    const stage = createCompletionStage({
      clock: createManualClock(),
      prd: { markPassed: async () => undefined },
      git: {
        commitStory: async () => {
          throw new Error("git commit failed: pre-commit hook rejected");
        },
      },
    });
    const { ctx } = makeContext();
    const result = await stage.run(ctx);
    expect(result.action).toBe("fail");
    expect(result.action === "fail" ? result.reason : "").toContain("pre-commit hook rejected");
  });
});
