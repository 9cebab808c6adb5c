/**
 * `nax run --dry-run`: the routing of every story and the order they would
 * run in, computed on an in-memory copy; nothing is written, no lock is taken
 * and no story is marked passed (trap 13).
 */
import { modelForTier } from "../config/schema";
import type { UserStory } from "../prd/schema";
import { isPrdComplete, plannedOrder } from "../prd/select";
import { classifyByKeywords } from "../routing/keyword";
import { complexityOf, initialTierFor } from "../routing/tier";
import { formatCost } from "../utils/format-cost";
import type { RunSetup } from "./setup";

/** A story's complexity and test strategy before the routing stage runs: from prd.json, else the keywords. */
export function plannedRouting(story: UserStory): { complexity: string; testStrategy: string } {
  return {
    complexity: complexityOf(story),
    testStrategy: story.routing?.testStrategy ?? classifyByKeywords(story).testStrategy,
  };
}

export function describeDryRun(setup: RunSetup): string[] {
  const { prd, config } = setup;
  const count = prd.userStories.length;
  const lines = [
    `dry run: feature ${setup.feature} in ${setup.workdir} (${count} ${count === 1 ? "story" : "stories"})`,
  ];
  for (const story of prd.userStories) {
    const tier = initialTierFor(story, config);
    const { complexity, testStrategy } = plannedRouting(story);
    const deps = story.dependencies?.length ? ` after ${story.dependencies.join(", ")}` : "";
    lines.push(
      `  ${story.id}  ${story.status}  ${complexity} -> ${tier} (${modelForTier(config, tier).model}), ${testStrategy}${deps}: ${story.title}`,
    );
  }
  const order = plannedOrder(prd);
  if (isPrdComplete(prd)) lines.push("every story has already passed or been skipped: nothing to run");
  else lines.push(order.length > 0 ? `plan: ${order.join(" -> ")}` : "plan: no story can run");
  const { maxIterations, costLimit } = config.execution;
  lines.push(`limits: ${maxIterations} iterations, ${formatCost(costLimit)}; nothing was written`);
  return lines;
}
