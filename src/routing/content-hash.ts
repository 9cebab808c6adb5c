/**
 * What a routing decision was made from: the story's own words and the
 * routing config. A persisted decision whose hash no longer matches (the
 * story was edited, or routing was reconfigured) is made again.
 */
import { createHash } from "node:crypto";
import type { NaxConfig } from "../config/schema";
import type { UserStory } from "../prd/schema";

export function routingContentHash(story: UserStory, config: NaxConfig): string {
  const input = {
    story: [story.id, story.title, story.description, story.acceptanceCriteria, story.tags ?? []],
    routing: [config.routing.strategy, config.routing.llm.model, config.autoMode.complexityRouting, config.tdd],
  };
  return createHash("sha256").update(JSON.stringify(input)).digest("hex").slice(0, 16);
}
