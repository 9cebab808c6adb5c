/**
 * The Router port: one routing decision per story, made once before its
 * first attempt (the run's routing step asks for every story that has none).
 * The decision carries the tier the attempt plan and the escalation ladder
 * start from, and is persisted in the story's `routing` with the strategy
 * that made it and a hash of what it was made from, so a rerun pays for it
 * again only when the story (or the routing config) changed.
 */
import type { NaxConfig } from "../config/schema";
import type { Complexity, UserStory } from "../prd/schema";
import { routingContentHash } from "./content-hash";
import { classifyByKeywords } from "./keyword";
import { tierForComplexity } from "./tier";

export type RoutingStrategy = "keyword" | "llm" | "manual";

export interface RoutingDecision {
  complexity: Complexity;
  testStrategy: string;
  tier: string;
  reasoning: string;
  /** What made it: the configured strategy, `prd` for a complexity written in prd.json, `keyword` for a fallback. */
  decidedBy: RoutingStrategy | "prd" | "plugin";
  contentHash: string;
}

export interface RoutingBatch {
  decisions: Map<string, RoutingDecision>;
  /** Money the decisions cost, with where the figure comes from. */
  cost: { usd: number; source: "none" | "computed-from-tokens" | "agent-reported" };
  /** Said to the user: fallbacks and their reasons, calls made. */
  notes: string[];
}

export interface Router {
  readonly strategy: RoutingStrategy;
  decide(stories: readonly UserStory[], signal?: AbortSignal): Promise<RoutingBatch>;
}

export function decisionFrom(
  story: UserStory,
  config: NaxConfig,
  made: { complexity: Complexity; testStrategy: string; reasoning: string },
  decidedBy: RoutingDecision["decidedBy"],
): RoutingDecision {
  const explicitTier = story.routing?.modelTier && !story.routing.decidedBy ? story.routing.modelTier : undefined;
  return {
    ...made,
    tier: explicitTier ?? tierForComplexity(config, made.complexity),
    decidedBy,
    contentHash: routingContentHash(story, config),
  };
}

/** A complexity the user wrote in prd.json (routing.complexity, or the 0.22 top-level one) is a decision already. */
export function givenDecision(story: UserStory, config: NaxConfig): RoutingDecision | undefined {
  if (story.routing?.decidedBy) return undefined;
  const complexity = story.routing?.complexity ?? story.complexity;
  if (!complexity) return undefined;
  const testStrategy = story.routing?.testStrategy ?? classifyByKeywords(story).testStrategy;
  const reasoning = story.routing?.reasoning ?? "from prd.json";
  return decisionFrom(story, config, { complexity, testStrategy, reasoning }, "prd");
}

/** A decision persisted by an earlier run that still holds: same story text, same routing config. */
export function persistedDecision(story: UserStory, config: NaxConfig): RoutingDecision | undefined {
  const routing = story.routing;
  if (!routing?.decidedBy || !routing.complexity || !routing.modelTier || !routing.contentHash) return undefined;
  if (routing.contentHash !== routingContentHash(story, config)) return undefined;
  return {
    complexity: routing.complexity,
    testStrategy: routing.testStrategy ?? classifyByKeywords(story).testStrategy,
    tier: routing.modelTier,
    reasoning: routing.reasoning ?? "",
    decidedBy: routing.decidedBy,
    contentHash: routing.contentHash,
  };
}

export function keywordDecision(story: UserStory, config: NaxConfig, why?: string): RoutingDecision {
  const made = classifyByKeywords(story);
  const reasoning = why ? `keywords (${why}): ${made.reasoning}` : made.reasoning;
  return decisionFrom(story, config, { ...made, reasoning }, "keyword");
}

export function createKeywordRouter(config: NaxConfig): Router {
  return {
    strategy: "keyword",
    async decide(stories) {
      const decisions = new Map(stories.map((s) => [s.id, keywordDecision(s, config)]));
      return { decisions, cost: { usd: 0, source: "none" }, notes: [] };
    },
  };
}
