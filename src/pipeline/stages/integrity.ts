/**
 * The integrity stage: the test-integrity guards on every strategy, after
 * the gates passed and before the story is committed. It compares the
 * attempt's tree with the story's base commit (deleted, renamed and
 * untracked files included) and fails the attempt with `test-integrity`
 * and the evidence when a guard trips (the test count is also the
 * runner's, when the base commit's proving run counted its tests): a weakened test never reaches
 * completion, so nothing of the cheat is merged (docs/traps.md).
 */
import type { GuardName } from "../../config/integrity-schema";
import type { Clock } from "../../system/clock";
import {
  checkIntegrity,
  describeFindings,
  type GuardEvidence,
  type GuardResult,
} from "../../verification/integrity/guards";
import { testFileMatcher } from "../../verification/test-paths";
import { defineStage } from "../define-stage";
import { provenBy } from "../gate-record";
import type { GitLike, ReadText } from "../ports";
import type { Stage, StoryContext } from "../stage";

export interface IntegrityStageDeps {
  git: Pick<GitLike, "fileChanges" | "fileAt">;
  readText: ReadText;
  clock: Pick<Clock, "now">;
  /** The tests the test command counted on a merged commit (readers/baseline-count.ts); absent: text counts only. */
  baselineCount?: (baseRef: string) => Promise<{ count: number; command: string } | undefined>;
}

/**
 * The runner's own count: the attempt's final green full run against the one
 * that proved the base commit. Catches tests that stop being run while no
 * test file changes (a runner config that excludes them).
 */
async function runnerCount(ctx: StoryContext, deps: IntegrityStageDeps, base: string): Promise<GuardEvidence[]> {
  const proof = provenBy(ctx.state);
  if (!deps.baselineCount || proof?.scope !== "full") return [];
  const now = (proof.passedCount ?? 0) + (proof.failedCount ?? 0);
  if (now === 0) return [];
  const before = await deps.baselineCount(base);
  if (!before || now >= before.count) return [];
  return [
    {
      file: "(test run)",
      what: `\`${proof.command}\` counted ${before.count} tests on the base commit ${base.slice(0, 12)}, ${now} now`,
    },
  ];
}

/** The runner's evidence joins the text-count guard's result (the guard is one, however it measures). */
function withRunnerCount(results: GuardResult[], evidence: GuardEvidence[]): GuardResult[] {
  if (evidence.length === 0) return results;
  const found = results.find((r) => r.guard === "testCount");
  if (!found) return [...results, { guard: "testCount", passed: false, evidence }];
  return results.map((r) => (r === found ? { ...r, passed: false, evidence: [...r.evidence, ...evidence] } : r));
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
      const changes = await fileChanges.call(deps.git, ctx.workdir, base);
      const checked = await checkIntegrity({
        changes,
        isTestFile: testFileMatcher(ctx.config.quality.testFiles),
        enabled: ctx.config.quality.guards as Record<GuardName, boolean>,
        before: (path) => fileAt.call(deps.git, ctx.workdir, base, path),
        after: (path) => deps.readText(`${ctx.workdir}/${path}`),
      });
      const counted = ctx.config.quality.guards.testCount ? await runnerCount(ctx, deps, base) : [];
      const results = withRunnerCount(checked, counted);
      ctx.emit("guards:checked", { attempt: ctx.attempt, base, results: forEvent(results) });
      const findings = describeFindings(results);
      if (findings === "") {
        // The next stage (completion) may read these instead of asking git: nothing runs in between.
        const treeChanges = { baseRef: base, paths: changes.flatMap((c) => (c.from ? [c.path, c.from] : [c.path])) };
        return { action: "continue", patch: { integrity: results, treeChanges } };
      }
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
