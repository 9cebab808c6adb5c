/**
 * The test writer (three-session strategies): a session that writes the
 * story's failing tests and may touch only test files (the lite variant may
 * add stub files). Tests frozen by an earlier attempt of the same story are
 * carried instead (cherry-picked onto this attempt's base), so a retry never
 * loses them and never asks for them again; when they no longer apply, a new
 * test writer starts.
 */

import { isFrozenFor } from "../../tdd/fingerprint";
import { fromPrefix } from "../../tdd/session-changes";
import { frozenTestsRef } from "../../tdd/tdd-git";
import { defineStage } from "../define-stage";
import type { Stage, StageResult, StoryContext } from "../stage";
import { notRedSection, rolePrompt } from "../tdd-prompts";
import { runRoleSession, type TddStageDeps, testPathsOf } from "../tdd-session";

async function carryFrozenTests(ctx: StoryContext, deps: TddStageDeps, base: string): Promise<StageResult | undefined> {
  const git = deps.tddGit;
  const frozen = await git.readRef(ctx.workdir, frozenTestsRef(ctx.feature, ctx.story.id));
  if (!frozen || !isFrozenFor(await git.message(ctx.workdir, frozen), ctx.story)) return undefined;
  if (!(await git.cherryPick(ctx.workdir, frozen))) {
    ctx.logger.warn(
      `${ctx.story.id}: the frozen tests ${frozen.slice(0, 12)} do not apply on this base; writing them again`,
      {
        storyId: ctx.story.id,
      },
    );
    return undefined;
  }
  const paths = await testPathsOf(ctx, git);
  const changes = await git.changes(ctx.workdir, base);
  const testFiles = changes
    .filter((c) => c.kind !== "deleted" && paths.isTest(c.path))
    .flatMap((c) => fromPrefix(c.path, paths.prefix) ?? []);
  const commit = await git.head(ctx.workdir);
  const hashes = await git.hashes(ctx.workdir, testFiles);
  ctx.emit("tdd:tests-frozen", { commit, hashes, carried: true });
  // The frozen tests were judged RED by the attempt that froze them (its tdd:red-checked says so).
  return {
    action: "continue",
    patch: { tdd: { testFiles, frozenCommit: commit, sessionBase: commit, carried: true, redHashes: hashes } },
  };
}

export function createTestWriterStage(deps: TddStageDeps): Stage {
  return defineStage({
    name: "test-writer",
    clock: deps.clock,
    async run(ctx) {
      const git = deps.tddGit;
      const base = ctx.state.baseRef ?? (await git.head(ctx.workdir));
      // Sent back by the RED gate: the same worktree, with the evidence; never the frozen tests again.
      const notRed = ctx.state.tdd?.notRed;
      if (notRed === undefined) {
        const carried = await carryFrozenTests(ctx, deps, base);
        if (carried) return carried;
      }
      const paths = await testPathsOf(ctx, git);
      const prompt = rolePrompt(ctx, "test-writer", paths.globs, notRed ? [notRedSection(notRed)] : []);
      const session = await runRoleSession(ctx, deps, { role: "test-writer", prompt, base });
      if (session.kind === "result") return session.result;
      const testFiles = session.changes
        .filter((c) => c.kind !== "deleted" && paths.isTest(c.path))
        .flatMap((c) => fromPrefix(c.path, paths.prefix) ?? []);
      return {
        action: "continue",
        patch: { agent: session.result, tdd: { ...ctx.state.tdd, testFiles, sessionBase: base } },
      };
    },
  });
}
