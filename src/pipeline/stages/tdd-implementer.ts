/**
 * The implementer (three-session strategies): a fresh session that makes the
 * frozen tests pass and may not touch a test file, judged against the frozen
 * commit. An implementer who believes a test is wrong says so in a
 * ```nax-objection block: nax records it and pauses the story for a person;
 * the test is never edited on the agent's word.
 */
import { parseObjection } from "../../tdd/verdict";
import { defineStage } from "../define-stage";
import type { Stage } from "../stage";
import { frozenTestsSection, rolePrompt } from "../tdd-prompts";
import { runRoleSession, type TddStageDeps, testPathsOf } from "../tdd-session";

export function createImplementerStage(deps: TddStageDeps): Stage {
  return defineStage({
    name: "implementer",
    clock: deps.clock,
    async run(ctx) {
      const frozen = ctx.state.tdd?.frozenCommit;
      if (!frozen) throw new Error("the implementer ran without frozen tests");
      const paths = await testPathsOf(ctx, deps.tddGit);
      const files = ctx.state.tdd?.testFiles ?? [];
      const prompt = rolePrompt(ctx, "implementer", paths.globs, [frozenTestsSection(files)]);
      const session = await runRoleSession(ctx, deps, { role: "implementer", prompt, base: frozen });
      if (session.kind === "result") return session.result;
      const objection = parseObjection(session.result.resultText);
      if (objection) {
        ctx.emit("tdd:objection", objection);
        return {
          action: "pause",
          reason: `test-objection: the implementer says ${objection.test} is wrong: ${objection.reason}; a person must decide (the test was not changed)`,
          patch: { agent: session.result, failureCategory: "test-objection" },
        };
      }
      return { action: "continue", patch: { agent: session.result } };
    },
  });
}
