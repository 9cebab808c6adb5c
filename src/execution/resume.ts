/**
 * Resuming after an interruption (Ctrl-C, kill -9, a crash): run by the
 * Runner once it holds the lock, before `run:started`. The PRD is the truth:
 * passed stories stay passed; a story left `in-progress` goes back to
 * `pending` with its attempts and prior failures untouched. The interrupted
 * story is the PRD's `in-progress` one, or the one the feature's last run
 * snapshot names as current when that run crashed (a graceful stop already put
 * it back to pending). If such a story exists and the tree has uncommitted
 * changes, they are the interrupted agent's half-done work (maybe mixed with
 * the user's edits): they go to a named stash, untracked files included, so
 * they are neither committed as the next pass nor deleted (ADR 003). nax's own
 * folder (config, PRDs, runtime files) is left in place.
 */
import type { Git } from "../git/git";
import type { PrdStore } from "../prd/store";
import { okValue, readJsonAs } from "../readers/read-json";
import { type StatusFile, StatusFileSchema } from "../state/status-file";
import type { Fs } from "../system/fs";

export interface ResumeDeps {
  fs: Fs;
  git: Pick<Git, "isRepo" | "isClean" | "stash">;
  store: PrdStore;
  workdir: string;
  feature: string;
  /** The project's live status (still the previous run's: read before `run:started`) and the feature snapshot. */
  statusPaths: { live: string; feature: string };
}

/** Left out of the stash: nax's own folder, relative to the workdir. */
export const RESUME_KEEP = ["nax"];

export function interruptedStashMessage(storyIds: readonly string[], runId: string | undefined): string {
  return `nax: uncommitted work of ${storyIds.join(", ")} from ${runId ?? "an earlier run"}`;
}

/** The previous run of this feature that did not finish: crashed, or still `running` though we hold the lock. */
async function previousUnfinished(deps: ResumeDeps): Promise<StatusFile | undefined> {
  const reads = await Promise.all(
    [deps.statusPaths.live, deps.statusPaths.feature].map((path) => readJsonAs(deps.fs, path, StatusFileSchema)),
  );
  return reads
    .map(okValue)
    .find((s) => s?.run.feature === deps.feature && (s.run.status === "crashed" || s.run.status === "running"));
}

/** Puts interrupted stories back to pending and their leftover work in a named stash; messages for the run's log. */
export async function resumeInterrupted(deps: ResumeDeps): Promise<string[]> {
  const stories = deps.store.current().userStories;
  const previous = await previousUnfinished(deps);
  const ids = stories.filter((s) => s.status === "in-progress").map((s) => s.id);
  const current = previous?.current?.storyId;
  if (current !== undefined && !ids.includes(current)) {
    const story = stories.find((s) => s.id === current);
    if (story?.status === "pending") ids.push(current);
  }
  if (ids.length === 0) return [];

  const messages: string[] = [];
  const from = previous?.run.id ?? "an earlier run";
  for (const id of ids) {
    const story = deps.store.story(id);
    if (story.status === "in-progress") await deps.store.updateStory(id, (s) => ({ ...s, status: "pending" }));
    messages.push(
      `${id} was interrupted in ${from}; it is resumed with its ${story.attempts} attempt(s) and ${story.priorFailures?.length ?? 0} prior failure(s) kept`,
    );
  }
  if (!(await deps.git.isRepo(deps.workdir)) || (await deps.git.isClean(deps.workdir, RESUME_KEEP))) return messages;
  const message = interruptedStashMessage(ids, previous?.run.id);
  const ref = await deps.git.stash(deps.workdir, message, RESUME_KEEP);
  if (ref !== undefined) {
    messages.push(
      `uncommitted changes left in the tree by the interrupted ${ids.join(", ")} were stashed as "${message}" (${ref.slice(0, 12)}), untracked files included; look with \`git stash show -p --include-untracked ${ref.slice(0, 12)}\`, restore with \`git stash pop\``,
    );
  }
  return messages;
}
