/**
 * Resuming after an interruption (Ctrl-C, kill -9, a crash): run by the
 * Runner once it holds the lock, before `run:started`. The PRD is the truth:
 * passed stories stay passed; a story left `in-progress` goes back to
 * `pending` with its attempts and prior failures untouched. The interrupted
 * story is this PRD's `in-progress` one, or the one the project's live status
 * names as current when the run it describes never finished (crashed, or
 * still `running` though we hold the lock): that status is always the latest
 * run in the project (a refused run writes nothing), so whatever is
 * uncommitted now is that story's half-done work, maybe mixed with the
 * user's edits. It goes to a named stash, untracked files included, so it is
 * neither committed as the next pass nor deleted (ADR 003). nax's own folder
 * (config, PRDs, runtime files) is left in place.
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
  /** The project's live status: still the previous run's, since this runs before `run:started`. */
  liveStatusPath: string;
}

/** Left out of the stash: nax's own folder, relative to the workdir. */
export const RESUME_KEEP = ["nax"];

export function interruptedStashMessage(storyIds: readonly string[], runId: string | undefined): string {
  return `nax: uncommitted work of ${storyIds.join(", ")} from ${runId ?? "an earlier run"}`;
}

/** The project's latest run, when it did not finish: crashed, or still `running` though we hold the lock. */
async function previousUnfinished(deps: ResumeDeps): Promise<StatusFile | undefined> {
  const live = okValue(await readJsonAs(deps.fs, deps.liveStatusPath, StatusFileSchema));
  return live?.run.status === "crashed" || live?.run.status === "running" ? live : undefined;
}

/** Puts interrupted stories back to pending and their leftover work in a named stash; messages for the run's log. */
export async function resumeInterrupted(deps: ResumeDeps): Promise<string[]> {
  const stories = deps.store.current().userStories;
  const previous = await previousUnfinished(deps);
  const ours = stories.filter((s) => s.status === "in-progress").map((s) => s.id);
  const ids = [...ours];
  const current = previous?.current?.storyId;
  if (current !== undefined && !ids.includes(current)) {
    // Of another feature: its PRD is not ours to reset, but its leftovers are in this tree all the same.
    const ownStatus = stories.find((s) => s.id === current)?.status;
    if (previous?.run.feature !== deps.feature || ownStatus === "pending") ids.push(current);
  }
  if (ids.length === 0) return [];

  const messages: string[] = [];
  const sameFeature = previous?.run.feature === deps.feature;
  const runId = previous && (sameFeature || ids.includes(current ?? "")) ? previous.run.id : undefined;
  const from = (sameFeature ? previous?.run.id : undefined) ?? "an earlier run";
  for (const id of ours) {
    const story = deps.store.story(id);
    await deps.store.updateStory(id, (s) => ({ ...s, status: "pending" }));
    messages.push(
      `${id} was interrupted in ${from}; it is resumed with its ${story.attempts} attempt(s) and ${story.priorFailures?.length ?? 0} prior failure(s) kept`,
    );
  }
  if (!(await deps.git.isRepo(deps.workdir)) || (await deps.git.isClean(deps.workdir, RESUME_KEEP))) return messages;
  const message = interruptedStashMessage(ids, runId);
  const ref = await deps.git.stash(deps.workdir, message, RESUME_KEEP);
  if (ref !== undefined) {
    messages.push(
      `uncommitted changes left in the tree by the interrupted ${ids.join(", ")} were stashed as "${message}" (${ref.slice(0, 12)}), untracked files included; look with \`git stash show -p --include-untracked ${ref.slice(0, 12)}\`, restore with \`git stash pop\``,
    );
  }
  return messages;
}
