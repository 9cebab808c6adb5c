/**
 * The routing stage: records the story's routing decision (made once, before
 * its first attempt, by the run's routing step: execution/route-step.ts) and
 * the tier this attempt runs on. The tier is always the attempt's own `ctx.tier`:
 * an escalated tier is never overridden by the complexity mapping.
 */
import { modelForTier } from "../../config/schema";
import { errorMessage, NaxError } from "../../errors";
import { classifyByKeywords } from "../../routing/keyword";
import { strategyFor } from "../../routing/strategy-choice";
import type { Clock } from "../../system/clock";
import { defineStage } from "../define-stage";
import type { Stage, StoryContext } from "../stage";

interface Decision {
  complexity: string;
  testStrategy: string;
  reasoning: string;
}

/**
 * The story's decision as the run's routing step made it (persisted in its
 * `routing`), or as written in prd.json; keywords only where no routing step
 * ran before this stage (a story routed by keywords gets the same answer).
 */
function decide(ctx: StoryContext): Decision {
  const { story } = ctx;
  const given = story.routing?.complexity ?? story.complexity;
  if (given) {
    const testStrategy = strategyFor(story, given, ctx.config.tdd);
    return { complexity: given, testStrategy, reasoning: story.routing?.reasoning ?? "from prd.json" };
  }
  if (ctx.config.routing.strategy === "manual") {
    throw new NaxError(
      "PRD_INVALID",
      `story ${story.id} has no routing.complexity (or complexity) in prd.json, which routing.strategy "manual" requires`,
      { storyId: story.id },
    );
  }
  return classifyByKeywords(story, ctx.config.tdd);
}

export function createRoutingStage(deps: { clock: Clock }): Stage {
  return defineStage({
    name: "routing",
    clock: deps.clock,
    async run(ctx) {
      let decided: Decision;
      try {
        decided = decide(ctx);
      } catch (error) {
        if (error instanceof NaxError) return { action: "fail", reason: errorMessage(error) };
        throw error;
      }
      const { complexity, testStrategy, reasoning } = decided;
      const { model } = modelForTier(ctx.config, ctx.tier);
      ctx.logger.info(`routed ${ctx.story.id}: ${complexity}, tier ${ctx.tier} (${model}), ${testStrategy}`, {
        storyId: ctx.story.id,
        stage: "routing",
        data: { reasoning },
      });
      return { action: "continue", patch: { routing: { complexity, tier: ctx.tier, model, testStrategy, reasoning } } };
    },
  });
}
