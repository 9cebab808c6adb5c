/**
 * prd.json's bytes, built story by story for the run's store: each story's
 * JSON is cached by the story object, so the save after one story changed
 * re-serialises that story only and a save's cost does not grow with the
 * PRD's size. The output is byte for byte `serializePrd`'s (a test holds it
 * to that). The cache is sound only for objects nobody changes in place,
 * so `freezeStory` deep-freezes each story the store holds.
 */
import type { Prd, UserStory } from "./schema";

/** Stands in for the story array in the frame; JSON.stringify escapes the NULs, so no user text can match it. */
const PLACEHOLDER = "\u0000nax:userStories\u0000";

export function createPrdSerializer(): (prd: Prd) => string {
  const cache = new WeakMap<UserStory, string>();
  const storyJson = (story: UserStory): string => {
    let text = cache.get(story);
    if (text === undefined) {
      // A story sits at depth 2 of the file: four more spaces on each line after its first.
      text = JSON.stringify(story, null, 2).replaceAll("\n", "\n    ");
      cache.set(story, text);
    }
    return text;
  };
  return (prd) => {
    const frame = JSON.stringify({ ...prd, userStories: PLACEHOLDER }, null, 2);
    const stories =
      prd.userStories.length === 0 ? "[]" : `[\n    ${prd.userStories.map(storyJson).join(",\n    ")}\n  ]`;
    return `${frame.replace(JSON.stringify(PLACEHOLDER), () => stories)}\n`;
  };
}

/** Freezes a story and everything in it, so a change in place throws instead of staling the cache. */
export function freezeStory(story: UserStory): UserStory {
  const freeze = (value: unknown): void => {
    if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
    Object.freeze(value);
    for (const inner of Object.values(value)) freeze(inner);
  };
  freeze(story);
  return story;
}
