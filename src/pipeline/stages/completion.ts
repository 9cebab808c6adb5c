/**
 * The completion stage: marks the story passed in prd.json (the execution
 * layer's atomic save) and then commits the story's changes with that PRD
 * update in the same commit, so the tree is clean once the story is done. A
 * story whose tests were not run is marked and committed as unverified; an
 * attempt that changed nothing is not a pass at all (`no-changes`). In an
 * isolated run there is no PRD writer here: the attempt commits in its own
 * worktree, and the merge queue marks the story passed once it is merged and
 * the merged tree is green.
 */
import type { Clock } from "../../system/clock";
import { defineStage } from "../define-stage";
import { editsOf, provenBy } from "../gate-record";
import { noChangesOutcome } from "../no-changes";
import type { GitLike, PrdCompletion } from "../ports";
import type { Stage } from "../stage";

export interface CompletionStageDeps {
  /** Absent in an isolated run (the merge queue marks the story passed). */
  prd?: PrdCompletion;
  git: Pick<GitLike, "commitStory" | "changedFiles">;
  clock: Pick<Clock, "now">;
}

export function createCompletionStage(deps: CompletionStageDeps): Stage {
  return defineStage({
    name: "completion",
    clock: deps.clock,
    async run(ctx) {
      const { story, state } = ctx;
      const changedFiles = deps.git.changedFiles?.bind(deps.git);
      const unchanged = changedFiles ? await noChangesOutcome(ctx, changedFiles) : undefined;
      if (unchanged) return unchanged;
      const verified = state.unverified === undefined;
      await deps.prd?.markPassed(story.id, {
        routing: state.routing,
        attempts: ctx.attempt,
        cost: state.costUsd,
        verified,
      });
      const commit = await deps.git.commitStory({
        cwd: ctx.workdir,
        storyId: story.id,
        title: story.title,
        runId: ctx.runId,
        ...(verified ? {} : { verified: false }),
      });
      ctx.logger.info(
        commit.committed ? `committed ${story.id} as ${commit.sha?.slice(0, 12)}` : `${story.id}: nothing to commit`,
        { storyId: story.id, stage: "completion" },
      );
      if (commit.sha !== undefined) {
        const proof = provenBy(state);
        ctx.emit("ledger:sealed", {
          attempt: ctx.attempt,
          where: "attempt",
          commit: commit.sha,
          edit: editsOf(state),
          ...(proof ? { provenBy: proof.gate } : {}),
        });
      }
      return { action: "continue", patch: { commit: commit.sha } };
    },
  });
}
