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
import type { Stage, StageResult, StoryContext } from "../stage";
import { reviewSection, rolePrompt } from "../tdd-prompts";
import { runRoleSession, type TddStageDeps, testPathsOf } from "../tdd-session";

async function ownRun(ctx: StoryContext, deps: TddStageDeps, missing: string): Promise<StageResult> {
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
  const reasons = run ? (passed ? [] : [run.summary || `\`${command}\` failed`]) : ["no test command is configured"];
  ctx.emit("tdd:verdict", { source: "nax", verdict: passed ? "pass" : "fail", reasons, missing });
  ctx.logger.warn(
    `${ctx.story.id}: verdict-missing (${missing}); nax ran the tests itself: ${passed ? "pass" : "fail"}`,
    {
      storyId: ctx.story.id,
    },
  );
  if (passed) return { action: "continue" };
  return {
    action: "escalate",
    reason: `verdict-missing: ${missing}; nax's own test run failed: ${reasons.join("; ")}`,
    ...(run ? { patch: { verify: run } } : {}),
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
      const session = await runRoleSession(ctx, deps, { role: "verifier", prompt, base });
      if (session.kind === "result") return session.result;
      if (session.result.outcome !== "success") {
        return ownRun(ctx, deps, `the verifier session ended with ${session.result.outcome}`);
      }
      const verdict = parseVerdict(session.result.resultText);
      if (verdict.kind === "missing") return ownRun(ctx, deps, verdict.why);
      const { reasons } = verdict.value;
      ctx.emit("tdd:verdict", { source: "verifier", verdict: verdict.value.verdict, reasons });
      if (verdict.value.verdict === "pass") return { action: "continue" };
      return {
        action: "escalate",
        reason: `verifier-fail: ${reasons.join("; ")}`,
        patch: { failureCategory: "verifier-fail" },
      };
    },
  });
}
