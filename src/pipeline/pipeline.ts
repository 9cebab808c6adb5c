/**
 * The story pipeline loop: walks the stages in order, skips disabled ones,
 * applies each result's patch to `ctx.state`, and turns the first decisive
 * result into a `PipelineOutcome`. `retry` jumps back to an earlier stage;
 * a global retry cap per pipeline run is the safety net against a loop that
 * the stages' own caps failed to stop. A stage's `treeChanges` snapshot is
 * dropped once the next stage has run (stage.ts).
 */
import type { NaxConfig } from "../config/schema";
import type { Stage, StageName, StageResult, StoryContext, StoryState } from "./stage";

interface OutcomeBase {
  /** The stage that decided (for `passed`, the last stage that ran). */
  stage: StageName | undefined;
  state: StoryState;
}

export type PipelineOutcome =
  | (OutcomeBase & { kind: "passed"; reason: string })
  | (OutcomeBase & { kind: "escalate" | "fail" | "skip" | "pause"; reason: string })
  | (OutcomeBase & {
      kind: "stop";
      reason: "cost-limit" | "aborted" | "agent-unusable" | "test-command-unusable";
      detail: string;
    });

export interface PipelineLimits {
  /** Retries allowed in one pipeline run, across all stages. */
  maxRetries: number;
}

/** A cap well above what the stages' own caps allow, so it only trips on a bug or a misbehaving stage. */
export function pipelineLimitsFor(config: NaxConfig): PipelineLimits {
  const perRound = config.execution.rectification.maxRetries + 2 * config.quality.autofix.maxAttempts + 2;
  const rounds = config.execution.regressionGate.maxRectificationAttempts + 1;
  return { maxRetries: perRound * rounds + 5 };
}

function assertNever(value: never): never {
  throw new Error(`unhandled stage action: ${JSON.stringify(value)}`);
}

function applyPatch(ctx: StoryContext, patch: Partial<StoryState> | undefined): void {
  if (patch) ctx.state = { ...ctx.state, ...patch };
  // A snapshot of the tree lives for one stage: the one after the stage that took it.
  if (ctx.state.treeChanges !== undefined && patch?.treeChanges === undefined) {
    const { treeChanges: _stale, ...rest } = ctx.state;
    ctx.state = rest;
  }
}

export async function runPipeline(
  stages: Stage[],
  ctx: StoryContext,
  limits: PipelineLimits,
): Promise<PipelineOutcome> {
  let retries = 0;
  let last: StageName | undefined;
  let index = 0;
  while (index < stages.length) {
    const stage = stages[index] as Stage;
    if (ctx.signal.aborted) {
      return {
        kind: "stop",
        reason: "aborted",
        detail: `stopped before ${stage.name}`,
        stage: stage.name,
        state: ctx.state,
      };
    }
    if (!stage.enabled(ctx)) {
      index++;
      continue;
    }
    last = stage.name;
    const result: StageResult = await stage.run(ctx);
    applyPatch(ctx, result.patch);
    switch (result.action) {
      case "continue":
        index++;
        break;
      case "retry": {
        const target = stages.findIndex((s) => s.name === result.fromStage);
        if (target < 0) {
          const reason = `${stage.name} asked to retry from "${result.fromStage}", which is not in this pipeline`;
          return { kind: "fail", reason, stage: stage.name, state: ctx.state };
        }
        retries++;
        if (retries > limits.maxRetries) {
          const reason = `retry cap of ${limits.maxRetries} reached in this attempt; last: ${result.reason}`;
          return { kind: "escalate", reason, stage: stage.name, state: ctx.state };
        }
        ctx.logger.debug(`retry from ${result.fromStage} (${retries}/${limits.maxRetries}): ${result.reason}`, {
          storyId: ctx.story.id,
          stage: stage.name,
        });
        index = target;
        break;
      }
      case "escalate":
      case "fail":
      case "skip":
      case "pause":
        return { kind: result.action, reason: result.reason, stage: stage.name, state: ctx.state };
      case "stop":
        return { kind: "stop", reason: result.reason, detail: result.detail, stage: stage.name, state: ctx.state };
      default:
        return assertNever(result);
    }
  }
  return { kind: "passed", reason: "every stage passed", stage: last, state: ctx.state };
}
