/**
 * The prompt's orientation: the feature line and the stories around this
 * one. A small PRD is listed whole; a large one lists only what bears on
 * this story (its dependencies, the stories that depend on it, and its
 * neighbours in the PRD's order) and counts the rest, so a prompt's size
 * (and its token bill) does not grow with the PRD: with 2,000 stories the
 * whole list was ~100 KB in every prompt.
 */
import { countStories } from "../prd/counts";
import type { Prd, UserStory } from "../prd/schema";

/** Up to this many stories, every story is listed. */
export const FULL_LIST_MAX = 30;
/** Stories listed either side of this one when the list is cut. */
const NEIGHBOURS = 5;

function line(story: UserStory, self: UserStory): string {
  return `- ${story.id} — ${story.title} [${story.status}]${story.id === self.id ? " (this story)" : ""}`;
}

/** Indices of the stories a cut list keeps: this story, its neighbours, its dependencies and dependants. */
function keptIndices(stories: readonly UserStory[], self: UserStory): Set<number> {
  const at = stories.findIndex((s) => s.id === self.id);
  const kept = new Set<number>();
  for (let i = Math.max(0, at - NEIGHBOURS); i <= Math.min(stories.length - 1, at + NEIGHBOURS); i++) kept.add(i);
  const dependencies = new Set(self.dependencies ?? []);
  stories.forEach((story, index) => {
    if (dependencies.has(story.id) || (story.dependencies ?? []).includes(self.id)) kept.add(index);
  });
  return kept;
}

function restSummary(rest: UserStory[]): string {
  const counts = countStories({ userStories: rest });
  const parts = (["passed", "pending", "failed", "blocked", "paused", "skipped"] as const)
    .filter((status) => counts[status] > 0)
    .map((status) => `${counts[status]} ${status}`);
  return `- … and ${rest.length} other stories (${parts.join(", ")})`;
}

export function orientationText(prd: Pick<Prd, "feature" | "project" | "userStories">, self: UserStory): string {
  const heading = `Feature: ${prd.feature} (project ${prd.project})`;
  const stories = prd.userStories;
  if (stories.length <= FULL_LIST_MAX) {
    return [heading, "Stories in this feature:", ...stories.map((s) => line(s, self))].join("\n");
  }
  const kept = keptIndices(stories, self);
  const shown = stories.filter((_, index) => kept.has(index));
  const rest = stories.filter((_, index) => !kept.has(index));
  return [
    heading,
    `Stories in this feature (${shown.length} of ${stories.length}: this story, its dependencies, the stories that depend on it, and its neighbours):`,
    ...shown.map((s) => line(s, self)),
    restSummary(rest),
  ].join("\n");
}
