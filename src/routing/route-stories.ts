/**
 * The run's routing step, before any attempt: every story still to run gets
 * its one decision. A complexity written in prd.json is used as it is; a
 * decision an earlier run persisted is reused while its content hash holds;
 * only the rest are sent to the router, in one batch. What it returns is what
 * the attempt plan, `story:started`, the status file, the dry run and `nax
 * status -f` all show.
 */
import type { NaxConfig } from "../config/schema";
import type { Prd, UserStory } from "../prd/schema";
import { givenDecision, persistedDecision, type Router, type RoutingBatch, type RoutingDecision } from "./router";

export interface RoutedStories {
  decisions: Map<string, RoutingDecision>;
  /** The decisions made now (not given, not reused): to be persisted in the stories' `routing`. */
  fresh: Map<string, RoutingDecision>;
  cost: RoutingBatch["cost"];
  notes: string[];
}

const TO_RUN = new Set(["pending", "in-progress", "paused"]);

export async function routeStories(
  prd: Pick<Prd, "userStories">,
  config: NaxConfig,
  router: Router,
  signal?: AbortSignal,
): Promise<RoutedStories> {
  const decisions = new Map<string, RoutingDecision>();
  const unrouted: UserStory[] = [];
  for (const story of prd.userStories) {
    if (!TO_RUN.has(story.status)) continue;
    const known = givenDecision(story, config) ?? persistedDecision(story, config);
    if (known) decisions.set(story.id, known);
    else unrouted.push(story);
  }
  if (unrouted.length === 0) return { decisions, fresh: new Map(), cost: { usd: 0, source: "none" }, notes: [] };
  const batch = await router.decide(unrouted, signal);
  for (const [id, decision] of batch.decisions) decisions.set(id, decision);
  return { decisions, fresh: batch.decisions, cost: batch.cost, notes: batch.notes };
}

/** The story's `routing` as persisted: the decision and what made it. */
export function routingRecord(decision: RoutingDecision): NonNullable<UserStory["routing"]> {
  return {
    complexity: decision.complexity,
    modelTier: decision.tier,
    testStrategy: decision.testStrategy,
    reasoning: decision.reasoning,
    decidedBy: decision.decidedBy,
    contentHash: decision.contentHash,
  };
}
