/**
 * Which tier a story's first attempt runs on. An explicit `routing.modelTier`
 * in prd.json wins; otherwise the story's complexity (from prd.json's
 * `routing.complexity`, else the story's top-level `complexity` as reference
 * PRDs write it, else the keyword classifier) maps through `autoMode.complexityRouting`. Later
 * attempts run on whatever tier escalation chose, never on this one again.
 */
import type { NaxConfig } from "../config/schema";
import type { Complexity, UserStory } from "../prd/schema";
import { classifyByKeywords } from "./keyword";

export function complexityOf(story: UserStory): Complexity {
  return story.routing?.complexity ?? story.complexity ?? classifyByKeywords(story).complexity;
}

export function tierForComplexity(config: NaxConfig, complexity: Complexity): string {
  return config.autoMode.complexityRouting[complexity];
}

export function initialTierFor(story: UserStory, config: NaxConfig): string {
  const explicit = story.routing?.modelTier;
  if (explicit) return explicit;
  return tierForComplexity(config, complexityOf(story));
}
