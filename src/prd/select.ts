/**
 * Which story runs next: a story mid-retry first, then pending stories in
 * PRD order whose dependencies all passed or were skipped (the readiness
 * rule in `readiness.ts`, shared with the readers). Pure.
 */
import { readinessOf } from "./readiness";
import type { Prd, UserStory } from "./schema";

const DONE = new Set(["passed", "skipped"]);

/** True when a dependency (directly or transitively) can no longer pass. */
export function dependencyDead(prd: Prd, story: UserStory): boolean {
  return readinessOf(prd).of(story) === "blocked";
}

export function selectNextStory(prd: Prd): UserStory | undefined {
  const index = readinessOf(prd);
  const runnable = prd.userStories.filter(
    (s) => (s.status === "pending" || s.status === "in-progress") && index.of(s) === "ready",
  );
  return runnable.find((s) => s.status === "in-progress" || s.attempts > 0) ?? runnable[0];
}

export function isPrdComplete(prd: Prd): boolean {
  return prd.userStories.every((s) => DONE.has(s.status));
}
