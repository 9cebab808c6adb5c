/**
 * The repair prompts, pure: rectify (failing tests after the agent's work)
 * and autofix (lint or typecheck failures). Both open with the story heading
 * so the agent knows which task it is repairing; after a three-session
 * strategy froze the tests, the heading is followed by the implementer's
 * `Role:` line and the frozen files, the rules the integrity guards hold the
 * repair to.
 */
import type { UserStory } from "../prd/schema";
import { roleLine } from "../tdd/role-prompt";
import type { ReviewResult, TestRunResult } from "../verification/types";
import { capText, listTests, numberedCriteria, taskHeading } from "./story-prompt";

const MAX_FAILURES = 20;
const MAX_MESSAGE = 1_500;
const MAX_OUTPUT = 6_000;

/** `frozenTests`: the test files a three-session strategy froze (undefined: none were). */
function heading(story: UserStory, frozenTests: readonly string[] | undefined): string {
  if (frozenTests === undefined) return taskHeading(story);
  const listed = frozenTests.length > 0 ? `: ${frozenTests.join(", ")}` : "";
  return `${taskHeading(story)}\n${roleLine("implementer")}\nThe tests are frozen${listed}. Do not create, edit, rename or delete any test file; change the implementation.`;
}

export function buildRectifyPrompt(input: {
  story: UserStory;
  verify: TestRunResult;
  round: number;
  frozenTests?: readonly string[];
}): string {
  const { story, verify } = input;
  const failures = verify.failures.slice(0, MAX_FAILURES).map((failure, i) => {
    const where = failure.file ? ` (${failure.file})` : "";
    return `${i + 1}. ${failure.name}${where}\n${capText(failure.message || "(no message)", MAX_MESSAGE)}`;
  });
  if (verify.failures.length > MAX_FAILURES) failures.push(`… and ${verify.failures.length - MAX_FAILURES} more`);
  const files = [...new Set(verify.failures.flatMap((f) => (f.file ? [f.file] : [])))];
  const sections = [
    heading(story, input.frozenTests),
    `## Rectification round ${input.round}`,
    verify.termination === "exited"
      ? `The tests fail after your change: ${verify.failedCount} failing, ${verify.passedCount} passing.`
      : `The test command did not finish (${verify.termination === "timeout" ? "it timed out" : verify.termination}): the failing count is unknown. Look for a test or code path that hangs.`,
    `## Acceptance criteria\n${numberedCriteria(story)}`,
    failures.length > 0
      ? `## Failing tests\n${failures.join("\n\n")}`
      : `## Test output\n${capText(verify.summary || "(no output)", MAX_OUTPUT)}`,
    files.length > 0 ? `## Test files involved\n${listTests(files).join("\n")}` : "",
    `## Run\n\`${verify.command}\``,
    [
      "## Rules",
      "- Fix the implementation; do not weaken or delete tests.",
      "- Run the command above until it passes.",
      "- nax commits for you: do not run `git commit`.",
    ].join("\n"),
  ];
  return `${sections.filter((s) => s !== "").join("\n\n")}\n`;
}

export function buildAutofixPrompt(input: {
  story: UserStory;
  review: ReviewResult;
  frozenTests?: readonly string[];
}): string {
  const failed = input.review.checks.filter((check) => !check.passed);
  const checks = failed.map(
    (check) =>
      `### ${check.name}: \`${check.command}\`\n\`\`\`\n${capText(check.output || "(no output)", MAX_OUTPUT)}\n\`\`\``,
  );
  return `${[
    heading(input.story, input.frozenTests),
    "## Quality checks failing",
    `The story's change does not pass ${failed.map((c) => c.name).join(" and ") || "the quality checks"}. Fix every problem below.`,
    ...checks,
    [
      "## Rules",
      "- Fix the code; do not disable lint rules, add ignore comments or loosen the type checker's settings.",
      "- Do not weaken or delete tests.",
      "- Run the commands above until they pass.",
      "- nax commits for you: do not run `git commit`.",
    ].join("\n"),
  ].join("\n\n")}\n`;
}
