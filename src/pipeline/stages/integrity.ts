/**
 * The integrity stage: the test-integrity guards on every strategy, after
 * the gates passed and before the story is committed. It compares the
 * attempt's tree with the story's base commit (deleted, renamed and
 * untracked files included) and fails the attempt with `test-integrity`
 * and the evidence when a guard trips: a weakened test never reaches
 * completion, so nothing of the cheat is merged (docs/traps.md).
 */
import type { GuardName } from "../../config/integrity-schema";
import type { Clock } from "../../system/clock";
import { checkIntegrity, describeFindings, type GuardResult } from "../../verification/integrity/guards";
import { testFileMatcher } from "../../verification/test-paths";
import { defineStage } from "../define-stage";
import type { GitLike, ReadText } from "../ports";
import type { Stage, StoryContext } from "../stage";

export interface IntegrityStageDeps {
  git: Pick<GitLike, "fileChanges" | "fileAt">;
  readText: ReadText;
  clock: Pick<Clock, "now">;
}

const EVIDENCE_CAP = 20;

function anyGuardOn(ctx: StoryContext): boolean {
  return Object.values(ctx.config.quality.guards).some(Boolean);
}

/** The results as the event carries them: evidence capped so one huge diff cannot flood the log. */
function forEvent(results: readonly GuardResult[]) {
  return results.map((r) => ({ guard: r.guard, passed: r.passed, evidence: r.evidence.slice(0, EVIDENCE_CAP) }));
}

export function createIntegrityStage(deps: IntegrityStageDeps): Stage {
  const { fileChanges, fileAt } = deps.git;
  return defineStage({
    name: "integrity",
    clock: deps.clock,
    // Without the git questions (unit fakes) there is nothing to compare; every real run has them.
    enabled: (ctx) => fileChanges !== undefined && fileAt !== undefined && anyGuardOn(ctx),
    async run(ctx) {
      const base = ctx.state.baseRef;
      if (!base || !fileChanges || !fileAt) {
        ctx.logger.debug("integrity: no base commit to compare with", { storyId: ctx.story.id, stage: "integrity" });
        return { action: "continue" };
      }
      const results = await checkIntegrity({
        changes: await fileChanges.call(deps.git, ctx.workdir, base),
        isTestFile: testFileMatcher(ctx.config.quality.testFiles),
        enabled: ctx.config.quality.guards as Record<GuardName, boolean>,
        before: (path) => fileAt.call(deps.git, ctx.workdir, base, path),
        after: (path) => deps.readText(`${ctx.workdir}/${path}`),
      });
      ctx.emit("guards:checked", { attempt: ctx.attempt, base, results: forEvent(results) });
      const findings = describeFindings(results);
      if (findings === "") return { action: "continue", patch: { integrity: results } };
      const tripped = results.filter((r) => !r.passed).map((r) => r.guard);
      return {
        action: "escalate",
        reason:
          `test-integrity: ${tripped.join(", ")} tripped; the tests must not be weakened, skipped or deleted ` +
          `(fix the code instead):\n${findings}`,
        patch: { integrity: results, failureCategory: "test-integrity" },
      };
    },
  });
}
