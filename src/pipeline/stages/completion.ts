/**
 * The completion stage: commits the attempt's changes with the story's
 * trailers. Given a PRD writer it first marks the story passed, so the PRD
 * update lands in the same commit; in an isolated run there is none: the
 * attempt commits in its own worktree, and the story is marked passed only
 * once the merge queue has merged it and the merged tree is green.
 */
import type { Clock } from "../../system/clock";
import { defineStage } from "../define-stage";
import type { GitLike, PrdCompletion } from "../ports";
import type { Stage } from "../stage";

export interface CompletionStageDeps {
  prd?: PrdCompletion;
  git: Pick<GitLike, "commitStory">;
  clock: Pick<Clock, "now">;
}

export function createCompletionStage(deps: CompletionStageDeps): Stage {
  return defineStage({
    name: "completion",
    clock: deps.clock,
    async run(ctx) {
      const { story, state } = ctx;
      await deps.prd?.markPassed(story.id, { routing: state.routing, attempts: ctx.attempt, cost: state.costUsd });
      const commit = await deps.git.commitStory({
        cwd: ctx.workdir,
        storyId: story.id,
        title: story.title,
        runId: ctx.runId,
      });
      ctx.logger.info(
        commit.committed ? `committed ${story.id} as ${commit.sha?.slice(0, 12)}` : `${story.id}: nothing to commit`,
        { storyId: story.id, stage: "completion" },
      );
      return { action: "continue", patch: { commit: commit.sha } };
    },
  });
}
