/**
 * Whether each story can run: the one rule the story loop's selection, the
 * run's end reason, `nax status` and `nax diagnose` share, so they never
 * disagree about a story. A pending story is `ready` when every dependency
 * passed or was skipped, `blocked` when a dependency (directly or through
 * others) failed, is paused, blocked or missing, else `waiting`. Computed
 * lazily, each story once, and cached by the `userStories` array's identity
 * (PRD updates replace the array). Pure.
 */
import type { StoryCounts } from "./counts";
import { countStories } from "./counts";
import type { Prd, StoryStatus, UserStory } from "./schema";

export type Readiness = "done" | "held" | "ready" | "waiting" | "blocked";

const DONE = new Set<StoryStatus>(["passed", "skipped"]);
const HELD = new Set<StoryStatus>(["failed", "blocked", "paused"]);

export interface ReadinessIndex {
  story(id: string): UserStory | undefined;
  of(story: UserStory): Readiness;
  /** The story's direct dependencies that keep it blocked (missing ones included). */
  blockedBy(story: UserStory): string[];
  /** The status a reader shows: `blocked` for a pending story behind a dependency that cannot pass. */
  shownStatus(story: UserStory): StoryStatus;
}

const indexes = new WeakMap<readonly UserStory[], ReadinessIndex>();

export function readinessOf(prd: Pick<Prd, "userStories">): ReadinessIndex {
  const cached = indexes.get(prd.userStories);
  if (cached) return cached;
  const index = buildIndex(prd.userStories);
  indexes.set(prd.userStories, index);
  return index;
}

function buildIndex(stories: readonly UserStory[]): ReadinessIndex {
  const byId = new Map(stories.map((s) => [s.id, s]));
  const memo = new Map<string, Readiness>();
  const visiting = new Set<string>();

  const compute = (story: UserStory): Readiness => {
    const known = memo.get(story.id);
    if (known) return known;
    if (DONE.has(story.status)) return "done";
    if (HELD.has(story.status)) return "held";
    // A cycle is refused when the PRD loads; here it only must not recurse forever.
    if (visiting.has(story.id)) return "waiting";
    visiting.add(story.id);
    let result: Readiness = "ready";
    for (const depId of story.dependencies ?? []) {
      const dep = byId.get(depId);
      const state = dep ? compute(dep) : "blocked";
      if (state === "held" || state === "blocked") {
        result = "blocked";
        break;
      }
      if (state !== "done") result = "waiting";
    }
    visiting.delete(story.id);
    memo.set(story.id, result);
    return result;
  };

  return {
    story: (id) => byId.get(id),
    of: compute,
    blockedBy(story) {
      return (story.dependencies ?? []).filter((depId) => {
        const dep = byId.get(depId);
        if (!dep) return true;
        const state = compute(dep);
        return state === "held" || state === "blocked";
      });
    },
    shownStatus(story) {
      return compute(story) === "blocked" ? "blocked" : story.status;
    },
  };
}

/** Story counts as readers show them: pending stories behind a dependency that cannot pass count as blocked. */
export function countShownStories(prd: Pick<Prd, "userStories">): StoryCounts {
  const index = readinessOf(prd);
  return countStories({ userStories: prd.userStories.map((s) => ({ ...s, status: index.shownStatus(s) })) });
}
