/**
 * Which story runs next: a story mid-retry first, then pending stories in
 * PRD order whose dependencies all passed or were skipped. Pure.
 *
 * Every question here is answered from one index per `userStories` array
 * (stories by id, and which stories sit behind a dead dependency), built once
 * in O(stories + dependencies) and cached by the array's identity. PRD updates
 * are copy-on-write (`prd/store.ts` replaces the array), so a cached index is
 * never stale. Rebuilding a map per story per call made a 2,000-story dry run
 * take minutes (cubic); see bench/scale.ts.
 */
import type { Prd, UserStory } from "./schema";

const DONE = new Set(["passed", "skipped"]);
const DEAD = new Set(["failed", "blocked", "paused"]);

interface StoryIndex {
  byId: Map<string, UserStory>;
  /** Ids of stories with a dependency that (directly or transitively) can no longer pass. */
  deadBehind: Set<string>;
}

const indexes = new WeakMap<readonly UserStory[], StoryIndex>();

function indexOf(prd: Pick<Prd, "userStories">): StoryIndex {
  const cached = indexes.get(prd.userStories);
  if (cached) return cached;
  const byId = new Map(prd.userStories.map((s) => [s.id, s]));
  const index: StoryIndex = { byId, deadBehind: findDeadBehind(prd.userStories, byId) };
  indexes.set(prd.userStories, index);
  return index;
}

/** Memoised depth-first walk; a story on the current path (a cycle the loader missed) counts as not dead. */
function findDeadBehind(stories: readonly UserStory[], byId: Map<string, UserStory>): Set<string> {
  const verdict = new Map<string, boolean>();
  const visit = (story: UserStory): boolean => {
    const known = verdict.get(story.id);
    if (known !== undefined) return known;
    verdict.set(story.id, false);
    let dead = false;
    for (const dep of story.dependencies ?? []) {
      const target = byId.get(dep);
      if (!target || DEAD.has(target.status) || visit(target)) {
        dead = true;
        break;
      }
    }
    verdict.set(story.id, dead);
    return dead;
  };
  const behind = new Set<string>();
  for (const story of stories) if (visit(story)) behind.add(story.id);
  return behind;
}

export function dependenciesMet(prd: Pick<Prd, "userStories">, story: UserStory): boolean {
  const { byId } = indexOf(prd);
  return (story.dependencies ?? []).every((dep) => DONE.has(byId.get(dep)?.status ?? ""));
}

/** True when a dependency (directly or transitively) can no longer pass. */
export function dependencyDead(prd: Pick<Prd, "userStories">, story: UserStory): boolean {
  return indexOf(prd).deadBehind.has(story.id);
}

/** The stories a story depends on, as found in the PRD (undefined where an id is missing). */
export function dependenciesOf(prd: Pick<Prd, "userStories">, story: UserStory): (UserStory | undefined)[] {
  const { byId } = indexOf(prd);
  return (story.dependencies ?? []).map((dep) => byId.get(dep));
}

/** `busy`: stories another lane is running now, never picked twice. */
export function selectNextStory(
  prd: Pick<Prd, "userStories">,
  busy: ReadonlySet<string> = new Set(),
): UserStory | undefined {
  let firstRunnable: UserStory | undefined;
  for (const s of prd.userStories) {
    if ((s.status !== "pending" && s.status !== "in-progress") || busy.has(s.id) || !dependenciesMet(prd, s)) continue;
    if (s.status === "in-progress" || s.attempts > 0) return s;
    firstRunnable ??= s;
  }
  return firstRunnable;
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
