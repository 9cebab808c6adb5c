/**
 * GREEN, after the gates passed: the implementer's side (its session and
 * every rectify or autofix round) is judged once more against the frozen
 * commit, so no repair session may touch a test either; then the work is
 * committed (the verifier's base) and the test files' hashes at GREEN go to
 * the ledger. tdd-simple has no frozen commit: only the hashes and commit.
 */
import { defineStage } from "../define-stage";
import type { Stage } from "../stage";
import { checkRolePolicy, type TddStageDeps } from "../tdd-session";

export function createGreenStage(deps: TddStageDeps): Stage {
  return defineStage({
    name: "green",
    clock: deps.clock,
    async run(ctx) {
      const git = deps.tddGit;
      const frozen = ctx.state.tdd?.frozenCommit;
      if (frozen) {
        const checked = await checkRolePolicy(ctx, deps, "implementer", frozen);
        if (checked.breach) return checked.breach;
      }
      const files = ctx.state.tdd?.testFiles ?? [];
      const commit = await git.commitAll(
        ctx.workdir,
        `nax: ${ctx.story.id} GREEN\n\nNax-Story: ${ctx.story.id}\nNax-Run: ${ctx.runId}\n`,
      );
      const hashes = await git.hashes(ctx.workdir, files);
      ctx.emit("tdd:green", { commit, hashes });
      return {
        action: "continue",
        patch: { tdd: { ...ctx.state.tdd, testFiles: files, sessionBase: commit, greenHashes: hashes } },
      };
    },
  });
}
