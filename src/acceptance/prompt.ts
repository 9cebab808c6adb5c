/**
 * The acceptance-test writer's prompts, pure: every criterion to cover with
 * the file name that maps it back (naming.ts), the rule that a test must
 * fail by an assertion on the base (never by a syntax or import error), and
 * that nothing outside the acceptance folder may change. A second round
 * names only the criteria that were not RED, with what nax saw; an
 * amendment names one criterion and the person's reason.
 */
import type { Prd } from "../prd/schema";
import { type CriterionRef, testToken } from "./naming";

export interface Evidence {
  criterion: CriterionRef;
  evidence: string;
}

function criterionLines(prd: Prd, criteria: readonly CriterionRef[]): string {
  return criteria
    .map((c) => {
      const story = prd.userStories.find((s) => s.id === c.storyId);
      return `- ${testToken(c)} (story ${c.storyId}${story ? ` "${story.title}"` : ""}): ${c.text}`;
    })
    .join("\n");
}

function rules(folder: string): string {
  return [
    "## Rules",
    `- One test file per criterion, inside \`${folder}/\`, its file name containing the criterion's token exactly`,
    `  (e.g. \`${folder}/US-001-AC-1.test.ts\`, or \`${folder}/test_US-001_AC-1.py\` for pytest): nax maps results back by it.`,
    "- The project's own test runner runs each file alone. The behaviour is not implemented yet, so each test must",
    "  FAIL by an assertion on today's code: import only modules that exist now (load a module the story will add",
    "  inside the test, tolerating its absence, so the file loads), and never leave a syntax error.",
    "- Test the behaviour the criterion states through the project's public interface, not its internals.",
    `- Change no file outside \`${folder}/\`; do not implement the feature.`,
  ].join("\n");
}

export function buildAcceptancePrompt(input: {
  prd: Prd;
  folder: string;
  criteria: readonly CriterionRef[];
  spec?: string;
}): string {
  const sections = [
    `# Acceptance tests for feature ${input.prd.feature}`,
    "Write the acceptance tests of these criteria before any of them is implemented.",
    `## Criteria\n${criterionLines(input.prd, input.criteria)}`,
  ];
  if (input.spec) sections.push(`## Spec\n${input.spec}`);
  sections.push(rules(input.folder));
  return `${sections.join("\n\n")}\n`;
}

export function buildRegeneratePrompt(input: { prd: Prd; folder: string; notRed: readonly Evidence[] }): string {
  const seen = input.notRed.map((e) => `- ${testToken(e.criterion)}: ${e.evidence}`).join("\n");
  return `${[
    `# Acceptance tests for feature ${input.prd.feature}: not RED`,
    "nax ran these tests alone on the base commit, and they did not fail by an assertion. Rewrite only these files.",
    `## What nax saw\n${seen}`,
    `## Criteria\n${criterionLines(
      input.prd,
      input.notRed.map((e) => e.criterion),
    )}`,
    rules(input.folder),
  ].join("\n\n")}\n`;
}

export function buildAmendPrompt(input: {
  prd: Prd;
  folder: string;
  criterion: CriterionRef;
  file?: string;
  reason: string;
}): string {
  const where = input.file ? `Its test is \`${input.file}\`: rewrite that file only.` : "It has no test yet.";
  return `${[
    `# Amend the acceptance test of ${testToken(input.criterion)} (feature ${input.prd.feature})`,
    `${where} The person asking says why: ${input.reason}`,
    `## Criterion\n${criterionLines(input.prd, [input.criterion])}`,
    rules(input.folder),
  ].join("\n\n")}\n`;
}
