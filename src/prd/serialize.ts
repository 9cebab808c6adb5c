/**
 * prd.json's bytes: `JSON.stringify(prd, null, 2)` and a newline, exactly,
 * but without re-serialising every story on every save. A run saves the PRD
 * twice per story (in progress, then passed) and changes one story each
 * time; with 2,000 stories the whole-document stringify was the largest cost
 * that grew with the PRD. Each story's text is kept against the story object
 * itself (a WeakMap): the store never changes a story in place, it replaces
 * it with a changed copy (store.ts), so a kept text is the text of that
 * object for as long as the object lives. Nothing here is ever stale for a
 * new object; the document around the stories is serialised anew each time.
 */
import type { Prd, UserStory } from "./schema";

const storyTexts = new WeakMap<UserStory, string>();
const PLACEHOLDER = "\u0000nax: the stories go here\u0000";
/** Where the placeholder lands: a top-level key (two spaces in), which no string value can imitate (JSON escapes newlines). */
const SLOT = `\n  "userStories": ${JSON.stringify(PLACEHOLDER)}`;
/** A story is an element of a top-level array: its lines sit four spaces in. */
const ELEMENT_INDENT = "    ";

function storyText(story: UserStory): string {
  let text = storyTexts.get(story);
  if (text === undefined) {
    text = ELEMENT_INDENT + JSON.stringify(story, null, 2).replaceAll("\n", `\n${ELEMENT_INDENT}`);
    storyTexts.set(story, text);
  }
  return text;
}

export function serializePrd(prd: Prd): string {
  const outline = JSON.stringify({ ...prd, userStories: PLACEHOLDER }, null, 2);
  const at = outline.indexOf(SLOT);
  // Not where it must be (never, for a PRD the schema accepted): the plain way, which is always right.
  if (at < 0 || !Array.isArray(prd.userStories)) return `${JSON.stringify(prd, null, 2)}\n`;
  const stories = prd.userStories.length === 0 ? "[]" : `[\n${prd.userStories.map(storyText).join(",\n")}\n  ]`;
  return `${outline.slice(0, at)}\n  "userStories": ${stories}${outline.slice(at + SLOT.length)}\n`;
}
