/**
 * The RED gate, run by nax: each new test file alone, judged from the
 * per-test results (tdd/red.ts). Its result is left as data (`tdd.notRed`);
 * the repair sends the tests back to their writer once with the evidence,
 * and a second failure fails the attempt (`not-red`). Three-session: the
 * test writer's files as they are. tdd-simple: the same files on the
 * tests-only state, the session's other changes hidden in a stash while the
 * tests run and brought back after.
 */

import { type RedJudgement, summariseRed } from "../../tdd/red";
import { fromPrefix } from "../../tdd/session-changes";
import { runAgentSession, sessionStopResult } from "../agent-session";
import type { StageSpec } from "../define-stage";
import type { Repair } from "../gate-repair";
import type { StageResult, StoryContext } from "../stage";
import { notRedSection } from "../tdd-prompts";
import { judgeTestFiles } from "../tdd-red-run";
import type { TddStageDeps } from "../tdd-session";
import { testPathsOf } from "../tdd-session";

async function record(ctx: StoryContext, deps: TddStageDeps, judged: RedJudgement[]): Promise<StageResult> {
  const summary = summariseRed(judged);
  const files = judged.map((j) => j.file);
  const round = (ctx.state.tdd?.redRounds ?? 0) + 1;
  const hashes = await deps.tddGit.hashes(ctx.workdir, files);
  ctx.emit("tdd:red-checked", {
    red: summary.red,
    round,
    files: judged.map((j) => ({ file: j.file, verdict: j.verdict, evidence: j.evidence })),
    hashes,
  });
  const tdd = { ...ctx.state.tdd, testFiles: files, redRounds: round };
  if (summary.red) return { action: "continue", patch: { tdd: { ...tdd, notRed: undefined, redHashes: hashes } } };
  return { action: "continue", patch: { tdd: { ...tdd, notRed: summary.evidence } } };
}

/** Three-session: the test writer's new files, as they are in the worktree. */
export function redGate(deps: TddStageDeps): StageSpec {
  return {
    name: "red",
    clock: deps.clock,
    // Carried tests were judged RED by the attempt that froze them.
    enabled: (ctx) => ctx.state.tdd?.carried !== true,
    async run(ctx) {
      const files = ctx.state.tdd?.testFiles ?? [];
      return record(ctx, deps, await judgeTestFiles(ctx, deps.tests, files));
    },
  };
}

/** tdd-simple: the session's test files judged with everything else it changed stashed away. */
export function redTestsOnlyGate(deps: TddStageDeps): StageSpec {
  return {
    name: "red-tests-only",
    clock: deps.clock,
    async run(ctx) {
      const git = deps.tddGit;
      const base = ctx.state.baseRef ?? (await git.head(ctx.workdir));
      const paths = await testPathsOf(ctx, git);
      const changes = await git.changes(ctx.workdir, base);
      const tests = changes.filter((c) => c.kind !== "deleted" && paths.isTest(c.path));
      const others = changes.filter((c) => !tests.includes(c)).flatMap((c) => (c.from ? [c.from, c.path] : [c.path]));
      const files = tests.flatMap((c) => fromPrefix(c.path, paths.prefix) ?? []);
      // Pathspecs from the repository root (`:/`), whatever folder the workdir is.
      const hidden = await git.hide(
        ctx.workdir,
        others.map((p) => `:/${p}`),
        `nax: ${ctx.story.id} RED check`,
      );
      if (!hidden) {
        return record(
          ctx,
          deps,
          files.map((file) => ({
            file,
            verdict: "uncollectable",
            evidence: "git could not set the implementation aside to test the tests alone",
            behavioural: [],
          })),
        );
      }
      try {
        return await record(ctx, deps, await judgeTestFiles(ctx, deps.tests, files));
      } finally {
        if (others.length > 0) await git.unhide(ctx.workdir);
      }
    },
  };
}

const notRedExhausted = (ctx: StoryContext): StageResult => ({
  action: "escalate",
  reason: `not-red: the new tests are still not RED after going back to their writer once:\n${ctx.state.tdd?.notRed ?? ""}`,
  patch: { failureCategory: "not-red" },
});

/** Three-session: back to the test-writer stage, which sees `tdd.notRed` and passes the evidence on. */
export function rewriteTestsRepair(): Repair {
  return {
    name: "rewrite-tests",
    needsRepair: (state) => state.tdd?.notRed !== undefined,
    cap: () => 1,
    exhausted: notRedExhausted,
    round: async (ctx) => ({ action: "retry", fromStage: "test-writer", reason: `not RED: ${ctx.state.tdd?.notRed}` }),
  };
}

/** tdd-simple: one more session of the same kind, told what nax saw, then RED is judged again. */
export function redoTestsRepair(deps: TddStageDeps): Repair {
  return {
    name: "redo-tests",
    needsRepair: (state) => state.tdd?.notRed !== undefined,
    cap: () => 1,
    exhausted: notRedExhausted,
    async round(ctx) {
      const evidence = ctx.state.tdd?.notRed ?? "";
      const prompt = `${ctx.state.prompt ?? ""}\n${notRedSection(evidence)}\nKeep your implementation; nax checks the tests without it.\n`;
      const outcome = await runAgentSession(ctx, deps, { purpose: "implement", prompt });
      const stop = sessionStopResult(outcome);
      if (stop) return stop;
      return { action: "retry", fromStage: "red-tests-only", reason: `not RED: ${evidence}` };
    },
  };
}
