/**
 * What a session's prompt says about its role: the `Role:` line that follows
 * the `# Task:` heading, what the role may touch, and how it ends its reply
 * (the verifier's verdict, the implementer's objection). nax checks every one
 * of these after the session (path-policy.ts, verdict.ts, objection.ts); the
 * prompt only tells the agent the rules it will be held to.
 */
import type { Role, TestStrategy } from "./strategies";

export const VERDICT_FENCE = "nax-verdict";
export const OBJECTION_FENCE = "nax-objection";

export function roleLine(role: Role): string {
  return `Role: ${role}`;
}

/** What the role may change, in words; `testGlobs` are the configured test-file globs. */
export function mayTouch(role: Role, strategy: TestStrategy, testGlobs: readonly string[]): string {
  const globs = testGlobs.map((glob) => `\`${glob}\``).join(", ");
  if (role === "test-writer") {
    return strategy === "three-session-tdd-lite"
      ? `You may touch: test files (${globs}), and you may add new source files holding only the minimal stubs the tests need to load (no behaviour). Do not edit existing source files.`
      : `You may touch: test files only (${globs}). Do not create, edit, rename or delete any other file.`;
  }
  if (role === "implementer") {
    return `You may touch: any file except test files (${globs}). The tests are frozen: do not create, edit, rename or delete any test file.`;
  }
  return "You may touch: nothing. Read the story, the tests and the diff; do not create, edit or delete any file, and run nothing that changes the repository.";
}

/** The role's own instructions, in place of the single-session "Approach" section. */
export function roleApproach(role: Role): string {
  if (role === "test-writer") {
    return [
      "## Approach: write the failing tests",
      "1. Write tests that check every acceptance criterion. Do not implement the story.",
      "2. Each new test file must load and run, and at least one of its tests must fail on an assertion because the behaviour is missing.",
      "3. nax runs the new tests itself: a test file that already passes, or that cannot load (syntax, import or collection error), is sent back.",
    ].join("\n");
  }
  if (role === "implementer") {
    return [
      "## Approach: make the frozen tests pass",
      "1. The tests in this repository were written for this story and are frozen; implement until they pass.",
      "2. If you are sure a test is wrong (it contradicts an acceptance criterion), do not change it. End your reply with:",
      `\`\`\`${OBJECTION_FENCE}`,
      '{"test": "<file or test name>", "reason": "<which criterion it contradicts and why>"}',
      "```",
      "nax records it and pauses the story for a human.",
    ].join("\n");
  }
  return [
    "## Approach: verify",
    "1. Check that the change makes every acceptance criterion true and that the tests check what the criteria say.",
    "2. End your reply with your verdict, exactly in this form (reasons required when it fails):",
    `\`\`\`${VERDICT_FENCE}`,
    '{"verdict": "pass" | "fail", "reasons": ["<one reason per problem>"]}',
    "```",
  ].join("\n");
}

/** tdd-simple is one session with a stricter order: nax checks RED itself on the tests-only state. */
export function tddSimpleApproach(): string {
  return [
    "## Approach: tests first (checked by nax)",
    "1. Write tests for every acceptance criterion first, and nothing else.",
    "2. nax runs them before your implementation: at least one test of each new test file must fail on an assertion.",
    "3. Then implement until they pass, without changing what the tests check.",
  ].join("\n");
}
