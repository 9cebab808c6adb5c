/**
 * The planner's answer, from text to a PRD nax would run: the JSON object is
 * extracted, each story is read through the planning shape (only the fields a
 * planner may set: a model cannot mark a story passed or route it), then the
 * PRD is built and held to the same checks as a hand-written one: the PRD
 * schema, unique ids and existing, acyclic dependencies (prd/validate.ts),
 * and what a run refuses (prd/runnable.ts: no stories, template text, no
 * acceptance criteria). Criterion ids are assigned here, keeping those of
 * the previous PRD (prd/criteria.ts). Pure; problems are `path: message`.
 */
import { z } from "zod";
import { assignCriterionIds } from "../prd/criteria";
import { findRunProblems } from "../prd/runnable";
import { type Prd, PrdSchema, UserStorySchema } from "../prd/schema";
import { findPrdProblems } from "../prd/validate";
import { answerJson } from "../utils/answer-json";
import { formatZodIssues } from "../utils/zod-issues";

const PlanStorySchema = z.object({
  id: UserStorySchema.shape.id,
  title: z.string().trim().min(1, "a story needs a title"),
  description: z.string().default(""),
  acceptanceCriteria: z
    .array(z.string().trim().min(1, "an acceptance criterion may not be empty"))
    .min(1, "every story needs at least one acceptance criterion: a behaviour a test can check"),
  dependencies: z.array(z.string()).default([]),
  tags: z.array(z.string()).optional(),
});

const PlanAnswerSchema = z.object({
  userStories: z.array(PlanStorySchema).min(1, "the answer has no stories; a PRD needs at least one"),
});

export interface PlanTarget {
  project: string;
  feature: string;
  nowIso: string;
  /** `$schema` pointer written at the top of prd.json. */
  schemaPointer: string;
  /** The PRD being re-planned: its criterion ids, createdAt and branch are kept. */
  previous?: Prd;
}

export type PlanAnswer = { ok: true; prd: Prd } | { ok: false; problems: string[] };

export function parsePlanAnswer(text: string, target: PlanTarget): PlanAnswer {
  const answer = answerJson(text);
  if (!answer.ok) return { ok: false, problems: [`(answer): ${answer.error}; answer with one JSON object`] };
  const parsed = PlanAnswerSchema.safeParse(answer.json);
  if (!parsed.success) return { ok: false, problems: formatZodIssues(parsed.error, PlanAnswerSchema) };
  const { previous } = target;
  const before = new Map((previous?.userStories ?? []).map((s) => [s.id, s]));
  const prd = PrdSchema.parse({
    $schema: target.schemaPointer,
    project: previous?.project ?? target.project,
    feature: target.feature,
    ...(previous?.branchName === undefined ? {} : { branchName: previous.branchName }),
    createdAt: previous?.createdAt ?? target.nowIso,
    userStories: parsed.data.userStories.map((story) => ({
      ...story,
      acceptanceCriteriaIds: assignCriterionIds(story.acceptanceCriteria, before.get(story.id)),
      status: "pending",
      attempts: 0,
    })),
  });
  const problems = [...findPrdProblems(prd), ...findRunProblems(prd)];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, prd };
}
