/**
 * Keys nax does not know are kept in prd.json (other tools write their own),
 * but one a typo away from a key nax reads (`dependecies`) would silently
 * do nothing, so it is a warning naming the story and the key it likely
 * meant. Pure; the warnings are shown before any session starts.
 */
import { closestName } from "../utils/did-you-mean";
import { type Prd, PrdSchema, UserStorySchema } from "./schema";

const STORY_KEYS = Object.keys(UserStorySchema.shape);
const PRD_KEYS = Object.keys(PrdSchema.shape);

function typosIn(value: Record<string, unknown>, known: readonly string[]): Array<{ key: string; match: string }> {
  const found: Array<{ key: string; match: string }> = [];
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const match = closestName(key, known);
    if (match !== undefined) found.push({ key, match });
  }
  return found;
}

export function findKeyTypos(prd: Prd, path: string): string[] {
  const warnings = typosIn(prd, PRD_KEYS).map(
    ({ key, match }) => `${path}: unknown key "${key}"; did you mean "${match}"? (kept as written; nax ignores it)`,
  );
  prd.userStories.forEach((story, i) => {
    for (const { key, match } of typosIn(story, STORY_KEYS)) {
      warnings.push(
        `${path}: userStories[${i}] (${story.id}): unknown key "${key}"; did you mean "${match}"? (kept as written; nax ignores it)`,
      );
    }
  });
  return warnings;
}
