/**
 * Resuming after an interruption (Ctrl-C, kill -9, a crash): run by the
 * Runner once it holds the lock, before `run:started`. The PRD is the truth:
 * passed stories stay passed; a story left `in-progress` (one per lane) goes
 * back to `pending` with its attempts and prior failures untouched.
 *
 * Nothing in the user's checkout is touched (ADR 004): an attempt only ever
 * works in its own worktree, so the interrupted attempt's work is there, and
 * the isolation's start commits it to an attempt ref before removing the
 * worktree. Whatever is uncommitted in the checkout is the user's own (or
 * nax's PRD writes): stashing it, as nax did when stories ran in the
 * checkout, would hide the user's edits for no gain. The tree check then
 * applies its usual rule to it.
 */
import type { PrdStore } from "../prd/store";
import { okValue, readJsonAs } from "../readers/read-json";
import { StatusFileSchema } from "../state/status-file";
import type { Fs } from "../system/fs";

export interface ResumeDeps {
  fs: Fs;
  store: PrdStore;
  feature: string;
  /** The project's live status: still the previous run's, since this runs before `run:started`. */
  liveStatusPath: string;
}

/** The project's latest run when it was this feature's and did not finish: the run the stories were interrupted in. */
async function interruptedRun(deps: ResumeDeps): Promise<string | undefined> {
  const live = okValue(await readJsonAs(deps.fs, deps.liveStatusPath, StatusFileSchema));
  const unfinished = live?.run.status === "crashed" || live?.run.status === "running";
  return unfinished && live?.run.feature === deps.feature ? live.run.id : undefined;
}

/** Puts interrupted stories back to pending; messages for the run's log. */
export async function resumeInterrupted(deps: ResumeDeps): Promise<string[]> {
  const ours = deps.store.current().userStories.filter((s) => s.status === "in-progress");
  if (ours.length === 0) return [];
  const from = (await interruptedRun(deps)) ?? "an earlier run";
  const messages: string[] = [];
  for (const story of ours) {
    await deps.store.updateStory(story.id, (s) => ({ ...s, status: "pending" }));
    messages.push(
      `${story.id} was interrupted in ${from}; it is resumed with its ${story.attempts} attempt(s) and ${story.priorFailures?.length ?? 0} prior failure(s) kept`,
    );
  }
  return messages;
}
