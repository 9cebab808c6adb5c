/**
 * The verifier (three-session strategies): a fresh session that reads the
 * story, its criteria, the tests and the diff, may change nothing, and ends
 * with a strictly validated verdict. A pass continues; a fail fails the
 * attempt with its reasons (`verifier-fail`). A missing or malformed verdict
 * (or a verifier session that did not finish) never passes on its own: nax
 * runs the full test command itself and records that the verdict was missing.
 */
import { parseVerdict } from "../../tdd/verdict";
import { defineStage } from "../define-stage";
import { recordGate } from "../gate-record";
import type { Stage, StageResult, StoryContext, StoryState } from "../stage";
import { reviewSection, rolePrompt } from "../tdd-prompts";
import { runRoleSession, type TddStageDeps, testPathsOf } from "../tdd-session";

async function ownRun(
  ctx: StoryContext,
  deps: TddStageDeps,
  missing: string,
  unchanged: Pick<StoryState, "edits">,
): Promise<StageResult> {
  const command = ctx.config.quality.commands.test;
  const run = command
    ? await deps.tests.run({
        cwd: ctx.workdir,
        command,
        scope: "full",
        timeoutMs: ctx.config.execution.verificationTimeoutSeconds * 1000,
        signal: ctx.signal,
      })
    : undefined;
  const passed = run?.passed === true;
  // nax's own run is a gate like verify: the ledger's proof that the final tree is green comes from it.
  const gates = run
    ? recordGate(ctx, {
        gate: "verify",
        command: run.command,
        exitCode: run.exitCode,
        passed: run.passed,
        passedCount: run.passedCount,
        failedCount: run.failedCount,
        durationMs: run.durationMs,
        scope: run.scope,
      })
    : {};
  const reasons = run ? (passed ? [] : [run.summary || `\`${command}\` failed`]) : ["no test command is configured"];
  ctx.emit("tdd:verdict", { source: "nax", verdict: passed ? "pass" : "fail", reasons, missing });
  ctx.logger.warn(
    `${ctx.story.id}: verdict-missing (${missing}); nax ran the tests itself: ${passed ? "pass" : "fail"}`,
    {
      storyId: ctx.story.id,
    },
  );
  if (passed) return { action: "continue", patch: { ...unchanged, ...gates } };
  return {
    action: "escalate",
    reason: `verdict-missing: ${missing}; nax's own test run failed: ${reasons.join("; ")}`,
    patch: { ...unchanged, ...gates, ...(run ? { verify: run } : {}) },
  };
}

export function createVerifierStage(deps: TddStageDeps): Stage {
  return defineStage({
    name: "verifier",
    clock: deps.clock,
    async run(ctx) {
      const git = deps.tddGit;
      const base = await git.head(ctx.workdir);
      const paths = await testPathsOf(ctx, git);
      const attemptBase = ctx.state.baseRef ?? ctx.state.tdd?.frozenCommit ?? base;
      const prompt = rolePrompt(ctx, "verifier", paths.globs, [
        reviewSection(attemptBase, ctx.state.tdd?.testFiles ?? []),
      ]);
      const editsBefore = ctx.state.edits;
      const session = await runRoleSession(ctx, deps, { role: "verifier", prompt, base });
      if (session.kind === "result") return session.result;
      // The policy check found no change at all: the session did not edit the tree, so the gates before it still prove it.
      const unchanged = { edits: editsBefore };
      if (session.result.outcome !== "success") {
        return ownRun(ctx, deps, `the verifier session ended with ${session.result.outcome}`, unchanged);
      }
      const verdict = parseVerdict(session.result.resultText);
      if (verdict.kind === "missing") return ownRun(ctx, deps, verdict.why, unchanged);
      const { reasons } = verdict.value;
      ctx.emit("tdd:verdict", { source: "verifier", verdict: verdict.value.verdict, reasons });
      if (verdict.value.verdict === "pass") return { action: "continue", patch: unchanged };
      return {
        action: "escalate",
        reason: `verifier-fail: ${reasons.join("; ")}`,
        patch: { ...unchanged, failureCategory: "verifier-fail" },
      };
    },
  });
}
