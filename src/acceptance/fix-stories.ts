/**
 * Fix attempts for criteria that fail at the end of a run, pure: one story
 * per failing criterion, its id unique in the PRD (`US-001-AC-1-fix-1`, the
 * number going up with each attempt), tagged `acceptance-fix` and
 * `acceptance-fix:<story>/<AC>` so its merge is gated by that criterion's
 * frozen test and it never gets acceptance tests of its own. The prompt it
 * gets says which test fails, what nax saw and whose merge broke it.
 */
import type { Prd, UserStory } from "../prd/schema";
import { type AcceptanceEntry, criterionKey } from "./state";

export const FIX_TAG = "acceptance-fix";

export const isFixStory = (story: Pick<UserStory, "tags">): boolean => (story.tags ?? []).includes(FIX_TAG);

/** The criteria (`US-001/AC-1`) a fix story is gated by. */
export function fixTargets(story: Pick<UserStory, "tags">): string[] {
  return (story.tags ?? []).flatMap((tag) => (tag.startsWith(`${FIX_TAG}:`) ? [tag.slice(FIX_TAG.length + 1)] : []));
}

function freeId(taken: Set<string>, stem: string): string {
  for (let n = 1; ; n++) {
    const id = `${stem}-fix-${n}`;
    if (!taken.has(id)) return id;
  }
}

export function fixStoriesFor(prd: Prd, failing: readonly AcceptanceEntry[], folder: string): UserStory[] {
  const taken = new Set(prd.userStories.map((s) => s.id));
  return failing.map((entry) => {
    const id = freeId(taken, `${entry.storyId}-${entry.criterionId}`);
    taken.add(id);
    const key = criterionKey(entry);
    const broken =
      entry.brokenBy && entry.brokenBy !== entry.storyId ? ` It passed until ${entry.brokenBy} was merged.` : "";
    return {
      id,
      title: `Make acceptance criterion ${key} pass again`,
      description: `The frozen acceptance test ${entry.test ?? "(none)"} of ${key} ("${entry.text}", owned by ${entry.storyId}) fails on the integration branch: ${entry.evidence}.${broken} Fix the code so it passes without breaking the other stories; never change ${folder}/.`,
      acceptanceCriteria: [`${entry.test ?? key} passes`],
      tags: [FIX_TAG, `${FIX_TAG}:${key}`],
      dependencies: [],
      status: "pending",
      attempts: 0,
      routing: { complexity: "medium", testStrategy: "test-after", reasoning: `acceptance fix of ${key}` },
    } as UserStory;
  });
}
