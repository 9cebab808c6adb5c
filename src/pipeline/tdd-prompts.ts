/**
 * The prompts of the TDD sessions, built from the one story prompt
 * (prompt/story-prompt.ts) with the session's role, plus what only nax knows
 * at that point: why the tests went back to the test writer, which frozen
 * tests the implementer must make pass, what the verifier reviews, and what
 * a repair session after the freeze is told and refused (the frozen files).
 */
import { buildStoryPrompt } from "../prompt/story-prompt";
import { frozenFileRules } from "../tdd/permission-rules";
import type { Role } from "../tdd/strategies";
import type { StoryContext } from "./stage";

export function rolePrompt(ctx: StoryContext, role: Role, testGlobs: readonly string[], extra: string[] = []): string {
  const testCommand = ctx.config.quality.commands.test;
  const base = buildStoryPrompt({
    story: ctx.story,
    priorFailures: ctx.priorFailures,
    ...(ctx.state.contextText === undefined ? {} : { contextText: ctx.state.contextText }),
    ...(testCommand === undefined ? {} : { testCommand }),
    ...(ctx.state.routing ? { testStrategy: ctx.state.routing.testStrategy } : {}),
    role: { role, testGlobs },
  });
  return extra.length > 0 ? `${base}\n${extra.join("\n\n")}\n` : base;
}

/** For the repair prompts: the frozen test files, once a three-session strategy froze them. */
export function frozenTestsOf(ctx: StoryContext): { frozenTests?: readonly string[] } {
  return ctx.state.tdd?.frozenCommit === undefined ? {} : { frozenTests: ctx.state.tdd.testFiles };
}

/** For the repair sessions: the CLI's deny rules on the frozen test files (none before they are frozen). */
export function frozenTestRulesOf(ctx: StoryContext): { disallowedTools?: readonly string[] } {
  const { frozenTests } = frozenTestsOf(ctx);
  return frozenTests === undefined || frozenTests.length === 0 ? {} : { disallowedTools: frozenFileRules(frozenTests) };
}

export function notRedSection(evidence: string): string {
  return [
    "## RED check failed",
    "nax ran your new test files itself, each one alone. They must load, and each must have a test that fails on an assertion before any implementation:",
    evidence,
    "Fix the tests (not the implementation): make every file load, and test behaviour that does not exist yet.",
  ].join("\n");
}

export function frozenTestsSection(files: readonly string[]): string {
  return ["## The frozen tests", "Make these pass; they are not yours to change:", ...files.map((f) => `- ${f}`)].join(
    "\n",
  );
}

export function reviewSection(base: string, files: readonly string[]): string {
  return [
    "## What to review",
    `- The change: \`git diff ${base} HEAD\` (read it; do not change the repository).`,
    `- The story's tests: ${files.length > 0 ? files.join(", ") : "(none listed)"}.`,
  ].join("\n");
}
