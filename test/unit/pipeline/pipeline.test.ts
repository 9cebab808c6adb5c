import { describe, expect, test } from "bun:test";
import { defineStage } from "../../../src/pipeline/define-stage";
import { pipelineLimitsFor, runPipeline } from "../../../src/pipeline/pipeline";
import type { Stage, StageName, StageResult, StoryContext } from "../../../src/pipeline/stage";
import { createManualClock } from "../../../src/system/clock";
import { makeConfig, makeContext, stageRuns } from "./helpers";

const clock = createManualClock();

function stage(
  name: StageName,
  run: (ctx: StoryContext) => StageResult,
  enabled?: (ctx: StoryContext) => boolean,
): Stage {
  return defineStage({ name, clock, run: async (ctx) => run(ctx), ...(enabled ? { enabled } : {}) });
}

describe("runPipeline", () => {
  test("walks the stages in order, skips disabled ones, applies patches and ends passed", async () => {
    const seen: string[] = [];
    const stages = [
      stage("routing", () => {
        seen.push("routing");
        return { action: "continue", patch: { contextText: "ctx" } };
      }),
      stage(
        "context",
        () => {
          seen.push("context");
          return { action: "continue" };
        },
        () => false,
      ),
      stage("prompt", (ctx) => {
        seen.push("prompt");
        return { action: "continue", patch: { prompt: `P:${ctx.state.contextText}` } };
      }),
    ];
    const { ctx, events } = makeContext();
    const outcome = await runPipeline(stages, ctx, { maxRetries: 3 });
    expect(seen).toEqual(["routing", "prompt"]);
    expect(outcome.kind).toBe("passed");
    expect(outcome.stage).toBe("prompt");
    expect(outcome.state.prompt).toBe("P:ctx");
    expect(stageRuns(events)).toEqual({ routing: 1, prompt: 1 });
  });

  test("a tree snapshot reaches only the stage right after the one that took it", async () => {
    const snapshot = { baseRef: "base", paths: ["src/a.ts"] };
    const seen: (string[] | undefined)[] = [];
    const stages = [
      stage("integrity", () => ({ action: "continue", patch: { treeChanges: snapshot } })),
      stage("completion", (ctx) => {
        seen.push(ctx.state.treeChanges?.paths);
        return { action: "continue" };
      }),
      stage("review", (ctx) => {
        // Anything could have changed the tree in the stage before: the snapshot is gone.
        seen.push(ctx.state.treeChanges?.paths);
        return { action: "continue" };
      }),
    ];
    const { ctx } = makeContext();
    const outcome = await runPipeline(stages, ctx, { maxRetries: 3 });
    expect(seen).toEqual([["src/a.ts"], undefined]);
    expect(outcome.state.treeChanges).toBeUndefined();
  });

  test("retry jumps back to the named stage and runs the stages after it again", async () => {
    let verifies = 0;
    const stages = [
      stage("agent", () => ({ action: "continue" })),
      stage("verify", () => {
        verifies++;
        return { action: "continue" };
      }),
      stage("rectify", (ctx) =>
        (ctx.state.repairs?.rectify ?? 0) < 2
          ? {
              action: "retry",
              fromStage: "verify",
              reason: "again",
              patch: { repairs: { rectify: (ctx.state.repairs?.rectify ?? 0) + 1 } },
            }
          : { action: "continue" },
      ),
    ];
    const { ctx, events } = makeContext();
    const outcome = await runPipeline(stages, ctx, { maxRetries: 5 });
    expect(outcome.kind).toBe("passed");
    expect(verifies).toBe(3);
    expect(stageRuns(events)).toEqual({ agent: 1, verify: 3, rectify: 3 });
  });

  test("retries past the pipeline's cap escalate with the reason", async () => {
    const stages = [
      stage("verify", () => ({ action: "continue" })),
      stage("rectify", () => ({ action: "retry", fromStage: "verify", reason: "still red" })),
    ];
    const { ctx } = makeContext();
    const outcome = await runPipeline(stages, ctx, { maxRetries: 4 });
    expect(outcome.kind).toBe("escalate");
    expect(outcome.reason).toContain("retry cap of 4");
    expect(outcome.reason).toContain("still red");
    expect(outcome.stage).toBe("rectify");
  });

  test.each([
    ["escalate", { action: "escalate", reason: "r" }],
    ["fail", { action: "fail", reason: "r" }],
    ["skip", { action: "skip", reason: "r" }],
    ["pause", { action: "pause", reason: "r" }],
  ] as const)(
    "a %s result ends the pipeline at that stage with its reason and the patched state",
    async (kind, result) => {
      let after = false;
      const stages = [
        stage("verify", () => ({ ...result, patch: { contextText: "kept" } })),
        stage("completion", () => {
          after = true;
          return { action: "continue" };
        }),
      ];
      const { ctx } = makeContext();
      const outcome = await runPipeline(stages, ctx, { maxRetries: 1 });
      expect(outcome).toMatchObject({ kind, reason: "r", stage: "verify" });
      expect(outcome.state.contextText).toBe("kept");
      expect(after).toBe(false);
    },
  );

  test("a stop result carries its reason and detail out of the pipeline", async () => {
    const stages = [stage("agent", () => ({ action: "stop", reason: "cost-limit", detail: "$20 spent" }))];
    const { ctx } = makeContext();
    const outcome = await runPipeline(stages, ctx, { maxRetries: 1 });
    expect(outcome).toMatchObject({ kind: "stop", reason: "cost-limit", detail: "$20 spent", stage: "agent" });
  });

  test("a retry to a stage that is not in the pipeline fails instead of looping", async () => {
    const stages = [stage("autofix", () => ({ action: "retry", fromStage: "review", reason: "x" }))];
    const { ctx } = makeContext();
    const outcome = await runPipeline(stages, ctx, { maxRetries: 3 });
    expect(outcome.kind).toBe("fail");
    expect(outcome.reason).toContain('"review"');
  });

  test("an aborted signal stops before the next stage runs", async () => {
    const controller = new AbortController();
    let ran = false;
    const stages = [
      stage("agent", () => {
        controller.abort();
        return { action: "continue" };
      }),
      stage("verify", () => {
        ran = true;
        return { action: "continue" };
      }),
    ];
    const { ctx } = makeContext({ signal: controller.signal });
    const outcome = await runPipeline(stages, ctx, { maxRetries: 1 });
    expect(outcome).toMatchObject({ kind: "stop", reason: "aborted", stage: "verify" });
    expect(ran).toBe(false);
  });

  test("the default retry cap leaves room for every repair round the config allows", () => {
    const config = makeConfig({
      execution: { rectification: { maxRetries: 3 }, regressionGate: { maxRectificationAttempts: 2 } },
      quality: { autofix: { maxAttempts: 2 } },
    });
    // Three regression rounds of (3 rectify + 2×2 autofix retries).
    expect(pipelineLimitsFor(config).maxRetries).toBeGreaterThan(3 * (3 + 4));
  });
});
