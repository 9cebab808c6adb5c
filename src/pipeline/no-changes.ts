/**
 * An attempt that changed nothing is not a pass (trap 28, docs/traps.md):
 * with no diff against the story's start (untracked files included, nax's own
 * folder left out) the story fails with the category `no-changes`. The first
 * time it goes back for one more attempt with that feedback in its prompt;
 * the second time it fails outright, without climbing every tier. A story
 * that is already satisfied is marked passed by hand (`nax story pass`).
 */
import type { PriorFailure } from "../prd/schema";
import type { StageResult, StoryContext } from "./stage";

export const NO_CHANGES = "no-changes";
export const NO_CHANGES_FINAL = "the agent made no changes";

/** Reads what changed since `baseRef`, relative to the workdir (the git service's `changedFiles`). */
export type ChangedFiles = (cwd: string, baseRef: string) => Promise<string[]>;

/** nax's own folder changes during every story (prd.json's status): it is not the agent's work. */
function agentChanges(files: readonly string[]): string[] {
  return files.filter((file) => file !== "nax" && !file.startsWith("nax/"));
}

export function isNoChanges(failure: Pick<PriorFailure, "category">): boolean {
  return failure.category === NO_CHANGES;
}

/** The outcome for an attempt that changed nothing, or undefined when it changed something or cannot be told. */
export async function noChangesOutcome(
  ctx: StoryContext,
  changedFiles: ChangedFiles,
): Promise<StageResult | undefined> {
  // Without a start commit (a repo with no commits yet) there is nothing to diff against.
  if (ctx.state.baseRef === undefined) return undefined;
  // The stage before (integrity) may have just read the tree against the same base: nothing ran since.
  const snapshot = ctx.state.treeChanges;
  const files =
    snapshot?.baseRef === ctx.state.baseRef ? snapshot.paths : await changedFiles(ctx.workdir, ctx.state.baseRef);
  const changed = agentChanges(files);
  if (changed.length > 0) return undefined;
  const patch = { failureCategory: NO_CHANGES } as const;
  if (ctx.priorFailures.some(isNoChanges)) {
    return { action: "fail", reason: `${NO_CHANGES}: ${NO_CHANGES_FINAL} (twice)`, patch };
  }
  return {
    action: "escalate",
    reason:
      `${NO_CHANGES}: the attempt left no change in the project (no diff against the story's start, untracked files included). ` +
      "Make the changes the acceptance criteria ask for; an attempt that changes nothing cannot pass.",
    patch,
  };
}
