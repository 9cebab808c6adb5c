/**
 * prd.json's bytes without re-serialising every story on every save. A run
 * saves the PRD two or three times per story, and `JSON.stringify` of a
 * 2,000-story PRD is milliseconds each time while one story changed: the
 * per-story cost grew with the PRD (issue 9's "loop overhead independent of
 * PRD size"). Each story's text is kept per story object, so a save
 * serialises only the stories it replaced; the result is byte for byte
 * `serializePrd` (load.ts), which a test holds it to. Correct only because
 * the store never changes a story object in place (it replaces it) and
 * freezes the ones it holds (`freezeStories`), so a stray in-place change
 * fails loudly instead of leaving a stale text here.
 */
import type { Prd, UserStory } from "./schema";

/** Nested objects and arrays frozen too: a story's history (`priorFailures`, `escalations`) is data. */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  return Object.freeze(value);
}

/** Freezes one story, its nested values too; returns it. */
export function freezeStory(story: UserStory): UserStory {
  return deepFreeze(story);
}

/** Freezes each story and the array (the loaded PRD's; a save freezes only the stories it makes). */
export function freezeStories(stories: readonly UserStory[]): readonly UserStory[] {
  for (const story of stories) deepFreeze(story);
  return Object.freeze(stories);
}

const STORIES_KEY = '\n  "userStories": []';

export function createPrdSerializer(): (prd: Prd) => string {
  const texts = new WeakMap<UserStory, string>();
  const storyText = (story: UserStory): string => {
    let text = texts.get(story);
    if (text === undefined) {
      // At depth 2 in the file: every line after the first is indented four spaces more. A newline in a
      // value is always escaped in JSON, so each one here is structural.
      text = JSON.stringify(story, null, 2).replaceAll("\n", "\n    ");
      if (Object.isFrozen(story)) texts.set(story, text);
    }
    return text;
  };
  return (prd) => {
    const head = JSON.stringify({ ...prd, userStories: [] }, null, 2);
    const at = head.indexOf(STORIES_KEY);
    if (prd.userStories.length === 0 || at < 0) return `${JSON.stringify(prd, null, 2)}\n`;
    const list = `[\n    ${prd.userStories.map(storyText).join(",\n    ")}\n  ]`;
    const end = at + STORIES_KEY.length;
    return `${head.slice(0, end - 2)}${list}${head.slice(end)}\n`;
  };
}
