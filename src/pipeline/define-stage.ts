/**
 * `defineStage()` holds what every stage shares, so a stage's own `run` is
 * only its decision: timing, `stage:started`/`stage:completed` (exactly once
 * each per run of the stage), a debug log, and a throw becoming `fail` with
 * its cause logged (or `stop aborted` when the run was being stopped).
 */
import { errorMessage } from "../errors";
import type { Clock } from "../system/clock";
import type { Stage, StageName, StageResult, StoryContext } from "./stage";

export interface StageSpec {
  name: StageName;
  /** Stages are enabled unless they say otherwise. */
  enabled?: (ctx: StoryContext) => boolean;
  run(ctx: StoryContext): Promise<StageResult>;
  /** Timing comes from the injected clock, never from Date.now. */
  clock: Pick<Clock, "now">;
}

/** The reason line a result carries, for events and logs. */
export function describeResult(result: StageResult): string | undefined {
  switch (result.action) {
    case "continue":
      return undefined;
    case "stop":
      return `${result.reason}: ${result.detail}`;
    default:
      return result.reason;
  }
}

async function runGuarded(spec: StageSpec, ctx: StoryContext): Promise<StageResult> {
  try {
    return await spec.run(ctx);
  } catch (error) {
    const message = errorMessage(error);
    if (ctx.signal.aborted) {
      ctx.logger.debug(`stage ${spec.name} ended by abort: ${message}`, { storyId: ctx.story.id, stage: spec.name });
      return { action: "stop", reason: "aborted", detail: `stopped during ${spec.name}` };
    }
    ctx.logger.error(`stage ${spec.name} threw: ${message}`, {
      storyId: ctx.story.id,
      stage: spec.name,
      data: { cause: error instanceof Error && error.stack ? error.stack : message },
    });
    return { action: "fail", reason: `${spec.name} stage error: ${message}` };
  }
}

export function defineStage(spec: StageSpec): Stage {
  return {
    name: spec.name,
    enabled: (ctx) => (spec.enabled ? spec.enabled(ctx) : true),
    async run(ctx) {
      const started = spec.clock.now();
      ctx.emit("stage:started", { stage: spec.name });
      const result = await runGuarded(spec, ctx);
      const durationMs = Math.max(0, spec.clock.now() - started);
      const reason = describeResult(result);
      ctx.emit("stage:completed", {
        stage: spec.name,
        action: result.action,
        durationMs,
        ...(reason === undefined ? {} : { reason }),
      });
      return result;
    },
  };
}
