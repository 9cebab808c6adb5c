/**
 * The run's routing step, after `run:started` and before any attempt: every
 * story still to run gets its one decision (routing/route-stories.ts), the
 * decisions made now are persisted in the stories' `routing` (so the attempt
 * plan, `nax status -f` and the next run read the same decision), what they
 * cost counts against the run's limit, and one `routing:completed` event says
 * what was decided, by what, and at what cost.
 */
import type { NaxConfig } from "../config/schema";
import type { EventBus } from "../events/bus";
import type { Logger } from "../logger/logger";
import type { Budget } from "../pipeline/budget";
import type { UserStory } from "../prd/schema";
import type { PrdStore } from "../prd/store";
import { routeStories, routingRecord } from "../routing/route-stories";
import type { Router } from "../routing/router";

export interface RouteStepDeps {
  config: NaxConfig;
  store: PrdStore;
  router: Router;
  budget: Budget;
  bus: EventBus;
  logger: Logger;
}

export async function runRouteStep(deps: RouteStepDeps, signal: AbortSignal): Promise<void> {
  const routed = await routeStories(deps.store.current(), deps.config, deps.router, signal);
  for (const note of routed.notes) deps.logger.info(note, { stage: "routing" });
  if (routed.fresh.size > 0) {
    const persist = new Map(
      [...routed.fresh].map(([id, decision]) => [
        id,
        (story: UserStory) => ({ ...story, routing: routingRecord(decision) }),
      ]),
    );
    await deps.store.updateStories(persist);
  }
  deps.budget.add(routed.cost.usd);
  deps.bus.emit("routing:completed", {
    strategy: deps.router.strategy,
    decisions: [...routed.decisions].map(([storyId, d]) => ({
      storyId,
      complexity: d.complexity,
      tier: d.tier,
      testStrategy: d.testStrategy,
      decidedBy: d.decidedBy,
      fresh: routed.fresh.has(storyId),
    })),
    costUsd: routed.cost.usd,
    costSource: routed.cost.source,
    notes: routed.notes,
  });
}
