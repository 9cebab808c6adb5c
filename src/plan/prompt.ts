/**
 * The planning prompt, pure: the spec, the files it names, and (on a
 * re-plan) the current stories, with the JSON shape the answer must take;
 * and the retry prompt, which is the same prompt plus the refused answer and
 * every validation error, so the second session can fix exactly those.
 */
import { storyCriteria } from "../prd/criteria";
import type { Prd } from "../prd/schema";
import { capText } from "../prompt/story-prompt";
import type { PlanSpec } from "./spec";

export interface PlanPromptInput {
  feature: string;
  spec: PlanSpec;
  /** The PRD being re-planned, when there is one worth showing. */
  current?: Prd;
}

export const PLAN_HEADING = "# Plan the feature:";
export const RETRY_HEADING = "## Your previous answer was refused";
const MAX_ECHOED_ANSWER = 20_000;

const SHAPE = `{"userStories": [{"id": "US-001", "title": "<short>", "description": "<what and why, a few sentences>", "acceptanceCriteria": ["<one behaviour a test can check>", "..."], "dependencies": ["<ids of stories this one needs first>"], "tags": ["<optional>"]}]}`;

function currentStories(prd: Prd): string {
  const blocks = prd.userStories.map((story) => {
    const criteria = storyCriteria(story).map((c) => `  - ${c.text}`);
    return [`- ${story.id}: ${story.title}`, ...criteria].join("\n");
  });
  return [
    "## The current prd.json",
    "Keep a story's id when the story stays, and a criterion's exact words when it stays (its id is kept then).",
    ...blocks,
  ].join("\n");
}

export function buildPlanPrompt(input: PlanPromptInput): string {
  const { spec } = input;
  const files = spec.files.map((f) => `### ${f.path}\n\`\`\`\n${f.text}\n\`\`\``);
  const notes = spec.notes.length > 0 ? [`Files the spec names but you are not shown:\n${spec.notes.join("\n")}`] : [];
  return [
    `${PLAN_HEADING} ${input.feature}`,
    "Turn the feature spec below into the user stories of a PRD for nax, which gives each story to a coding agent in its own session and checks it with the project's tests.",
    `Answer with one JSON object only, no prose and no code fence, in this shape:\n${SHAPE}`,
    [
      "Rules:",
      "- Each story is small enough for one agent session and delivers something a test can check.",
      "- Story ids are unique and use only letters, digits, '.', '_' and '-' (US-001, US-002...).",
      "- dependencies name other stories of this answer; no story depends on itself or on a cycle.",
      "- Every story has at least one acceptance criterion: one observable behaviour per line, in words a test can check.",
      "- Do not use any tool: everything you need is in this message.",
    ].join("\n"),
    `## Spec (${spec.path})\n${spec.text.trim()}`,
    ...(files.length > 0 ? [`## Files the spec names\n${files.join("\n\n")}`] : []),
    ...notes,
    ...(input.current && input.current.userStories.length > 0 ? [currentStories(input.current)] : []),
  ].join("\n\n");
}

export function buildRetryPrompt(first: string, answer: string, problems: readonly string[]): string {
  return [
    first,
    RETRY_HEADING,
    `It failed these checks:\n${problems.map((p) => `- ${p}`).join("\n")}`,
    `Your answer was:\n\`\`\`\n${capText(answer, MAX_ECHOED_ANSWER)}\n\`\`\``,
    "Answer again with the whole corrected JSON object, in the same shape, and nothing else.",
  ].join("\n\n");
}
