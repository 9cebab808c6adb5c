/**
 * Which story runs next: a story mid-retry first, then pending stories in
 * PRD order whose dependencies all passed or were skipped. Pure.
 */
import type { Prd, UserStory } from "./schema";

const DONE = new Set(["passed", "skipped"]);
const DEAD = new Set(["failed", "blocked", "paused"]);

export function dependenciesMet(prd: Prd, story: UserStory): boolean {
  const byId = new Map(prd.userStories.map((s) => [s.id, s]));
  return (story.dependencies ?? []).every((dep) => DONE.has(byId.get(dep)?.status ?? ""));
}

/** True when a dependency (directly or transitively) can no longer pass. */
export function dependencyDead(prd: Prd, story: UserStory, seen = new Set<string>()): boolean {
  const byId = new Map(prd.userStories.map((s) => [s.id, s]));
  for (const dep of story.dependencies ?? []) {
    if (seen.has(dep)) continue;
    seen.add(dep);
    const target = byId.get(dep);
    if (!target) return true;
    if (DEAD.has(target.status)) return true;
    if (dependencyDead(prd, target, seen)) return true;
  }
  return false;
}

/** `busy`: stories another lane is running now, never picked twice. */
export function selectNextStory(prd: Prd, busy: ReadonlySet<string> = new Set()): UserStory | undefined {
  const runnable = prd.userStories.filter(
    (s) => (s.status === "pending" || s.status === "in-progress") && !busy.has(s.id) && dependenciesMet(prd, s),
  );
  return runnable.find((s) => s.status === "in-progress" || s.attempts > 0) ?? runnable[0];
}

export function isPrdComplete(prd: Prd): boolean {
  return prd.userStories.every((s) => DONE.has(s.status));
}
