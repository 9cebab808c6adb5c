/**
 * The story prompt, pure: it opens with `# Task: <id> — <title>`,
 * then the description, the acceptance criteria with their ids, the prior failures
 * (so a new attempt does not repeat them), the context, and the rules.
 */
import { storyCriteria } from "../prd/criteria";
import type { PriorFailure, UserStory } from "../prd/schema";

export interface StoryPromptInput {
  story: UserStory;
  priorFailures: PriorFailure[];
  contextText?: string;
  /** The project's test command, when configured. */
  testCommand?: string;
  /** From routing: `test-first` asks for failing tests before the implementation. */
  testStrategy?: string;
}

/** Long texts (test output, summaries) are cut to keep a prompt focused. */
export function capText(text: string, max: number): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max)}\n… (${trimmed.length - max} more characters cut)` : trimmed;
}

const MAX_FAILURE_SUMMARY = 2_000;
const MAX_LISTED_TESTS = 20;

export function taskHeading(story: UserStory): string {
  return `# Task: ${story.id} — ${story.title}`;
}

export function numberedCriteria(story: UserStory): string {
  if (story.acceptanceCriteria.length === 0) return "(none listed: infer them from the description)";
  // Each with its stable id (prd/criteria.ts), the name an acceptance test and a report use for it.
  return storyCriteria(story)
    .map(({ id, text }) => `${id}: ${text}`)
    .join("\n");
}

export function listTests(names: string[]): string[] {
  const shown = names.slice(0, MAX_LISTED_TESTS).map((name) => `  - ${name}`);
  if (names.length > MAX_LISTED_TESTS) shown.push(`  - … and ${names.length - MAX_LISTED_TESTS} more`);
  return shown;
}

function formatPriorFailure(failure: PriorFailure): string {
  const lines = [`### Attempt ${failure.attempt} (tier ${failure.tier}, stage ${failure.stage})`];
  lines.push(capText(failure.summary || failure.reason || "(no summary)", MAX_FAILURE_SUMMARY));
  if (failure.failingTests.length > 0) lines.push("Failing tests:", ...listTests(failure.failingTests));
  return lines.join("\n");
}

function approach(testStrategy: string | undefined): string {
  if (testStrategy === "test-first") {
    return [
      "## Approach: test first",
      "1. Write tests for every acceptance criterion before any implementation.",
      "2. Run them and see them fail for the right reason.",
      "3. Then implement until they pass, without changing what the tests check.",
    ].join("\n");
  }
  return "## Approach\nImplement the story, and add or update tests that check each acceptance criterion.";
}

function rules(testCommand: string | undefined): string {
  return [
    "## Rules",
    "- Work in this repository (your current directory); keep the change focused on this story.",
    "- Make every acceptance criterion above true.",
    testCommand
      ? `- Run the tests before you finish (\`${testCommand}\`) and make them pass.`
      : "- Run the project's tests before you finish and make them pass.",
    "- Do not weaken, skip or delete tests to make them pass; fix the implementation.",
    "- nax commits for you: do not run `git commit`, and never add nax's runtime files (`nax.lock`, `nax/status.json`, `nax/features/*/status.json`, `nax/features/*/runs/`, `nax/features/*/progress.txt`).",
  ].join("\n");
}

export function buildStoryPrompt(input: StoryPromptInput): string {
  const { story } = input;
  const sections = [
    taskHeading(story),
    `## Description\n${story.description.trim() || "(no description)"}`,
    `## Acceptance criteria\n${numberedCriteria(story)}`,
  ];
  if (input.priorFailures.length > 0) {
    sections.push(
      [
        "## Prior failures",
        "Earlier attempts at this story failed. Read why, and do not repeat it.",
        ...input.priorFailures.map(formatPriorFailure),
      ].join("\n\n"),
    );
  }
  if (input.contextText?.trim()) sections.push(`## Context\n${input.contextText.trim()}`);
  sections.push(approach(input.testStrategy), rules(input.testCommand));
  return `${sections.join("\n\n")}\n`;
}
