/**
 * The routing stage: decides the story's complexity and test strategy (from
 * prd.json, the keyword classifier, or a one-shot LLM call) and records the
 * tier this attempt runs on. The tier is always the attempt's own `ctx.tier`:
 * an escalated tier is never overridden by the complexity mapping.
 */
import { modelForTier } from "../../config/schema";
import { errorMessage, NaxError } from "../../errors";
import { classifyByKeywords } from "../../routing/keyword";
import { buildRoutingPrompt, parseRoutingResponse } from "../../routing/llm";
import { type AgentSessionDeps, runAgentSession, sessionStopResult } from "../agent-session";
import { defineStage } from "../define-stage";
import type { Stage, StageResult, StoryContext } from "../stage";

interface Decision {
  complexity: string;
  testStrategy: string;
  reasoning: string;
}

type Decided = { decision: Decision } | { stop: StageResult };

async function routeWithLlm(ctx: StoryContext, deps: AgentSessionDeps): Promise<Decided> {
  const llm = ctx.config.routing.llm;
  const errors: string[] = [];
  for (let attempt = 0; attempt <= llm.retries; attempt++) {
    if (attempt > 0 && llm.retryDelayMs > 0) await deps.clock.sleep(llm.retryDelayMs, ctx.signal);
    const outcome = await runAgentSession(ctx, deps, {
      purpose: "routing",
      prompt: buildRoutingPrompt(ctx.story),
      mode: "complete",
      tier: llm.model,
      timeoutMs: llm.timeoutMs,
    });
    const stop = sessionStopResult(outcome);
    if (stop && stop.action === "stop") return { stop };
    if (outcome.kind !== "done") {
      errors.push(outcome.kind === "rate-limit-exhausted" ? outcome.reason : outcome.detail);
      continue;
    }
    if (outcome.result.outcome !== "success") {
      errors.push(`${outcome.result.outcome}: ${outcome.result.error ?? outcome.result.resultText.slice(0, 200)}`);
      continue;
    }
    const parsed = parseRoutingResponse(outcome.result.resultText);
    if (parsed.ok) return { decision: { ...parsed.routing, reasoning: `llm: ${parsed.routing.reasoning}` } };
    errors.push(parsed.error);
  }
  const why = errors.join("; ");
  if (!llm.fallbackToKeywords) {
    return { stop: { action: "fail", reason: `LLM routing failed for ${ctx.story.id}: ${why}` } };
  }
  ctx.logger.warn(`LLM routing failed (${why}); falling back to keywords`, { storyId: ctx.story.id, stage: "routing" });
  const keywords = classifyByKeywords(ctx.story);
  return { decision: { ...keywords, reasoning: `keywords (LLM routing failed): ${keywords.reasoning}` } };
}

async function decide(ctx: StoryContext, deps: AgentSessionDeps): Promise<Decided> {
  const { story } = ctx;
  // A reference PRD's authors set the story's top-level complexity; it counts as given, like routing.complexity.
  const given = story.routing?.complexity ?? story.complexity;
  if (given) {
    const testStrategy = story.routing?.testStrategy ?? classifyByKeywords(story).testStrategy;
    return { decision: { complexity: given, testStrategy, reasoning: story.routing?.reasoning ?? "from prd.json" } };
  }
  switch (ctx.config.routing.strategy) {
    case "manual":
      throw new NaxError(
        "PRD_INVALID",
        `story ${story.id} has no routing.complexity (or complexity) in prd.json, which routing.strategy "manual" requires`,
        { storyId: story.id },
      );
    case "keyword":
      return { decision: classifyByKeywords(story) };
    case "llm":
      return routeWithLlm(ctx, deps);
  }
}

export function createRoutingStage(deps: AgentSessionDeps): Stage {
  return defineStage({
    name: "routing",
    clock: deps.clock,
    async run(ctx) {
      let decided: Decided;
      try {
        decided = await decide(ctx, deps);
      } catch (error) {
        if (error instanceof NaxError) return { action: "fail", reason: errorMessage(error) };
        throw error;
      }
      if ("stop" in decided) return decided.stop;
      const { complexity, testStrategy, reasoning } = decided.decision;
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
