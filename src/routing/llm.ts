/**
 * LLM routing, the pure half: the one-shot prompt that asks a model to
 * classify a story, and the decoding of its JSON answer. Calling the model
 * (with budget, rate limits and retries) is the routing stage's job.
 */
import { z } from "zod";
import { ComplexitySchema, type UserStory } from "../prd/schema";
import { answerJson } from "../utils/answer-json";

export const LlmRoutingSchema = z.object({
  complexity: ComplexitySchema,
  testStrategy: z.string().min(1),
  reasoning: z.string().default(""),
});
export type LlmRouting = z.infer<typeof LlmRoutingSchema>;

export function buildRoutingPrompt(story: UserStory): string {
  const criteria = story.acceptanceCriteria.map((c, i) => `${i + 1}. ${c}`).join("\n");
  return [
    "Classify this user story for a coding agent. Answer with JSON only, no prose:",
    '{"complexity": "simple" | "medium" | "complex" | "expert", "testStrategy": "test-after" | "test-first", "reasoning": "<one sentence>"}',
    "",
    `Story ${story.id}: ${story.title}`,
    story.description ? `Description: ${story.description}` : "",
    criteria ? `Acceptance criteria:\n${criteria}` : "",
    story.tags?.length ? `Tags: ${story.tags.join(", ")}` : "",
  ]
    .filter((line) => line !== "")
    .join("\n");
}

export type RoutingParse = { ok: true; routing: LlmRouting } | { ok: false; error: string };

export function parseRoutingResponse(text: string): RoutingParse {
  const answer = answerJson(text);
  if (!answer.ok) return answer;
  const parsed = LlmRoutingSchema.safeParse(answer.json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, error: `unexpected JSON: ${first ? `${first.path.join(".")}: ${first.message}` : "invalid"}` };
  }
  return { ok: true, routing: parsed.data };
}

const BatchAnswerSchema = z.object({
  stories: z.array(z.looseObject({ id: z.string() })),
});

/** One call for many stories: the same question, answered per story id. */
export function buildBatchRoutingPrompt(stories: readonly UserStory[]): string {
  const blocks = stories.map((story) => buildRoutingPrompt(story).split("\n").slice(2).join("\n"));
  return [
    "Classify each of these user stories for a coding agent. Answer with JSON only, no prose:",
    '{"stories": [{"id": "<story id>", "complexity": "simple" | "medium" | "complex" | "expert", "testStrategy": "test-after" | "test-first", "reasoning": "<one sentence>"}, ...]}',
    "Answer for every story, once each.",
    "",
    blocks.join("\n\n"),
  ].join("\n");
}

export type BatchParse = { ok: true; routings: Map<string, RoutingParse> } | { ok: false; error: string };

/** Each story's answer on its own: one bad entry does not spoil the others. */
export function parseBatchRoutingResponse(text: string): BatchParse {
  const answer = answerJson(text);
  if (!answer.ok) return answer;
  const batch = BatchAnswerSchema.safeParse(answer.json);
  if (!batch.success) return { ok: false, error: 'unexpected JSON: expected {"stories": [...]}' };
  const routings = new Map<string, RoutingParse>();
  for (const entry of batch.data.stories) {
    const parsed = LlmRoutingSchema.safeParse(entry);
    const first = parsed.success ? undefined : parsed.error.issues[0];
    routings.set(
      entry.id,
      parsed.success
        ? { ok: true, routing: parsed.data }
        : { ok: false, error: `unexpected JSON: ${first ? `${first.path.join(".")}: ${first.message}` : "invalid"}` },
    );
  }
  return { ok: true, routings };
}
