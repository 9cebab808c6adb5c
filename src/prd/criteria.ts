/**
 * Acceptance-criterion ids (`AC-1`, `AC-2`... per story). prd.json keeps the
 * criteria as the strings people write, with their ids beside them in
 * `acceptanceCriteriaIds` (same order), so every older PRD loads as it is:
 * without that field the ids are the positions. Re-planning keeps a
 * criterion's id while its text is unchanged, and never hands a new text an
 * id the story already uses, so a test named after an id keeps meaning the
 * same behaviour. Pure.
 */
import type { UserStory } from "./schema";

export interface Criterion {
  id: string;
  text: string;
}

type WithCriteria = Pick<UserStory, "acceptanceCriteria" | "acceptanceCriteriaIds">;

const numberOf = (id: string): number => Number(id.slice("AC-".length));

/** The story's criteria with their ids: the recorded ones, else `AC-<position>`. */
export function storyCriteria(story: WithCriteria): Criterion[] {
  const ids = story.acceptanceCriteriaIds;
  return story.acceptanceCriteria.map((text, i) => ({ id: ids?.[i] ?? `AC-${i + 1}`, text }));
}

/** Whitespace differences do not make a criterion new. */
const sameText = (text: string): string => text.trim().replace(/\s+/g, " ");

/**
 * Ids for a story's new criteria: a text the previous version of the story held keeps that id (once each);
 * every other text gets the next number above any id the previous version used.
 */
export function assignCriterionIds(criteria: readonly string[], previous?: WithCriteria): string[] {
  const before = previous ? storyCriteria(previous) : [];
  const byText = new Map<string, string[]>();
  for (const { id, text } of before) byText.set(sameText(text), [...(byText.get(sameText(text)) ?? []), id]);
  let next = Math.max(0, ...before.map((c) => numberOf(c.id))) + 1;
  const used = new Set<string>();
  return criteria.map((text) => {
    const kept = (byText.get(sameText(text)) ?? []).find((id) => !used.has(id));
    const id = kept ?? `AC-${next++}`;
    used.add(id);
    return id;
  });
}

/** `acceptanceCriteriaIds` problems zod cannot see: one id per criterion, each once. `path: message` lines. */
export function findCriterionIdProblems(story: WithCriteria, where: string): string[] {
  const ids = story.acceptanceCriteriaIds;
  if (ids === undefined) return [];
  const problems: string[] = [];
  if (ids.length !== story.acceptanceCriteria.length) {
    const next = `AC-${Math.max(0, ...ids.map(numberOf)) + 1}`;
    problems.push(
      `${where}.acceptanceCriteriaIds: ${ids.length} ids for ${story.acceptanceCriteria.length} acceptance criteria; give each criterion its id in the same order (the next unused one is ${next}), or remove acceptanceCriteriaIds to number them by position`,
    );
  }
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) problems.push(`${where}.acceptanceCriteriaIds[${i}]: "${id}" is used twice in this story`);
    seen.add(id);
  });
  return problems;
}
