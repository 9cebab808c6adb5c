/**
 * Whole-word keyword matching over a story's text, shared by the complexity
 * classifier and the test-strategy choice. Words match whole (with their
 * plural endings), so "author" is not "auth"; an entry ending in `*` is a
 * stem that takes any ending (`migrat*` → migrate, migration).
 */
import type { UserStory } from "../prd/schema";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Compiled once per entry: every story is matched against every list, more than once per run. */
const PATTERNS = new Map<string, RegExp>();

function patternFor(entry: string): RegExp {
  const known = PATTERNS.get(entry);
  if (known) return known;
  const stem = entry.endsWith("*");
  const word = escapeRegExp(stem ? entry.slice(0, -1) : entry);
  // No `g` flag: `test` stays stateless, so one RegExp can be shared.
  const pattern = new RegExp(`\\b${word}${stem ? "[a-z]*" : "(?:e?s)?"}\\b`, "i");
  PATTERNS.set(entry, pattern);
  return pattern;
}

/** The entries found in the text, without their `*`. */
export function matchKeywords(text: string, entries: readonly string[]): string[] {
  return entries.filter((entry) => patternFor(entry).test(text)).map((entry) => entry.replace(/\*$/, ""));
}

export function storyText(story: UserStory): string {
  return [story.title, story.description, ...story.acceptanceCriteria, ...(story.tags ?? [])].join("\n");
}
