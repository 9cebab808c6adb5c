/**
 * Which story runs next: a story mid-retry first, then pending stories in
 * PRD order whose dependencies all passed or were skipped. Pure.
 *
 * Every question here is answered from the readiness index (`readiness.ts`,
 * the rule `nax status` and `nax diagnose` share), built once per
 * `userStories` array in O(stories + dependencies) and cached by the array's
 * identity. PRD updates are copy-on-write (`prd/store.ts` replaces the
 * array), so a cached index is never stale. Rebuilding a map per story per
 * call made a 2,000-story dry run take minutes (cubic); see bench/scale.ts.
 */
import { readinessOf } from "./readiness";
import type { Prd, UserStory } from "./schema";

const DONE = new Set(["passed", "skipped"]);

export function dependenciesMet(prd: Pick<Prd, "userStories">, story: UserStory): boolean {
  const index = readinessOf(prd);
  return (story.dependencies ?? []).every((dep) => DONE.has(index.story(dep)?.status ?? ""));
}

/** True when a dependency (directly or transitively) can no longer pass: the story is blocked. */
export function dependencyDead(prd: Pick<Prd, "userStories">, story: UserStory): boolean {
  return readinessOf(prd).of(story) === "blocked";
}

/** The stories a story depends on, as found in the PRD (undefined where an id is missing). */
export function dependenciesOf(prd: Pick<Prd, "userStories">, story: UserStory): (UserStory | undefined)[] {
  const index = readinessOf(prd);
  return (story.dependencies ?? []).map((dep) => index.story(dep));
}

/** `busy`: stories another lane is running now, never picked twice. */
export function selectNextStory(
  prd: Pick<Prd, "userStories">,
  busy: ReadonlySet<string> = new Set(),
): UserStory | undefined {
  const index = readinessOf(prd);
  const open = (s: UserStory) => !busy.has(s.id) && index.of(s) === "ready";
  // Two passes, so readiness is worked out only for the stories that could be picked: the mid-retry ones
  // (few), then pending ones in order up to the first ready. One pass asked it of every story, every pick.
  for (const s of prd.userStories) {
    const midRetry = s.status === "in-progress" || (s.status === "pending" && s.attempts > 0);
    if (midRetry && open(s)) return s;
  }
  return prd.userStories.find((s) => s.status === "pending" && s.attempts === 0 && open(s));
}

/**
 * The order stories would run in if each passed on its first attempt (the
 * dry run's plan): `selectNextStory` applied repeatedly, with statuses kept
 * in a local map instead of a copied PRD per step.
 */
export function plannedOrder(prd: Pick<Prd, "userStories">): string[] {
  const status = new Map(prd.userStories.map((s) => [s.id, s.status as string]));
  const met = (s: UserStory) => (s.dependencies ?? []).every((dep) => DONE.has(status.get(dep) ?? ""));
  const open = (s: UserStory) => {
    const now = status.get(s.id);
    return (now === "pending" || now === "in-progress") && met(s);
  };
  const order: string[] = [];
  for (;;) {
    let next: UserStory | undefined;
    let first: UserStory | undefined;
    for (const s of prd.userStories) {
      if (!open(s)) continue;
      if (status.get(s.id) === "in-progress" || s.attempts > 0) {
        next = s;
        break;
      }
      first ??= s;
    }
    next ??= first;
    if (!next) return order;
    order.push(next.id);
    status.set(next.id, "passed");
  }
}

export function isPrdComplete(prd: Pick<Prd, "userStories">): boolean {
  return prd.userStories.every((s) => DONE.has(s.status));
}
