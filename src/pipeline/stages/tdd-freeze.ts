/**
 * Freezing the tests once they are RED: nax commits them in the attempt's
 * worktree and points the story's frozen-tests ref at that commit. The
 * commit is the implementer's base: its diff is judged against it, and a
 * later attempt of the story starts from it (carried by the test-writer
 * stage), so failed attempts never take the tests with them.
 */
import { frozenCommitMessage } from "../../tdd/fingerprint";
import { frozenTestsRef } from "../../tdd/tdd-git";
import { defineStage } from "../define-stage";
import type { Stage } from "../stage";
import type { TddStageDeps } from "../tdd-session";

export function createFreezeTestsStage(deps: TddStageDeps): Stage {
  return defineStage({
    name: "freeze-tests",
    clock: deps.clock,
    enabled: (ctx) => ctx.state.tdd?.carried !== true,
    async run(ctx) {
      const git = deps.tddGit;
      const files = ctx.state.tdd?.testFiles ?? [];
      const commit = await git.commitAll(ctx.workdir, frozenCommitMessage(ctx.story, ctx.runId));
      await git.writeRef(ctx.workdir, frozenTestsRef(ctx.feature, ctx.story.id), commit);
      ctx.emit("tdd:tests-frozen", { commit, hashes: await git.hashes(ctx.workdir, files), carried: false });
      return { action: "continue", patch: { tdd: { ...ctx.state.tdd, testFiles: files, frozenCommit: commit } } };
    },
  });
}
