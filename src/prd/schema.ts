/**
 * The PRD schema (README "Writing a PRD"). The schema is the type and holds the defaults.
 * Objects are loose so that fields nax does not know survive a rewrite.
 */
import { z } from "zod";
import { AGENT_NAMES } from "../config/schema";
import { normalizeEscalation, normalizePriorFailure } from "./reference-shapes";

export const STORY_ID_PATTERN = /^[A-Za-z0-9._-]+$/;
/** Story ids name files, stashes and commit trailers: the same bound as feature names. */
export const MAX_STORY_ID_LENGTH = 100;

/** An acceptance criterion's id within its story: `AC-` and a number from 1. */
export const CRITERION_ID_PATTERN = /^AC-[1-9][0-9]*$/;

export const StoryStatusSchema = z.enum(["pending", "in-progress", "passed", "failed", "skipped", "blocked", "paused"]);
export type StoryStatus = z.infer<typeof StoryStatusSchema>;

export const ComplexitySchema = z.enum(["simple", "medium", "complex", "expert"]);
export type Complexity = z.infer<typeof ComplexitySchema>;

export const RoutingSchema = z.looseObject({
  complexity: ComplexitySchema.optional(),
  modelTier: z.string().optional(),
  testStrategy: z.string().optional(),
  reasoning: z.string().optional(),
  /** Set by nax when it routed the story (absent: the user wrote this routing by hand). */
  decidedBy: z.enum(["keyword", "llm", "manual", "prd", "plugin"]).optional(),
  /** The story and routing config the decision was made from (routing/content-hash.ts). */
  contentHash: z.string().optional(),
});
export type StoryRouting = z.infer<typeof RoutingSchema>;

export const PriorFailureSchema = z.looseObject({
  attempt: z.number().int(),
  tier: z.string(),
  stage: z.string(),
  reason: z.string().optional(),
  summary: z.string(),
  failingTests: z.array(z.string()).default([]),
  /** `no-changes`: the attempt changed no file (trap 28). Absent for test and check failures. */
  category: z.string().optional(),
  at: z.string().optional(),
});
export type PriorFailure = z.infer<typeof PriorFailureSchema>;

export const EscalationSchema = z.looseObject({
  fromTier: z.string(),
  toTier: z.string(),
  reason: z.string(),
  at: z.string(),
});
export type Escalation = z.infer<typeof EscalationSchema>;

/** A person's change of a story's state with `nax story reset|skip|pass`: who, when, and why. */
export const HumanDecisionSchema = z.looseObject({
  action: z.enum(["reset", "skip", "pass"]),
  /** The user name from the environment (USER, LOGNAME), and the host. */
  by: z.string(),
  at: z.string(),
  reason: z.string().optional(),
  /** The status the story had before. */
  from: z.string(),
  /** `reset --clear-attempts`: how many attempts (and recorded failures) were cleared. */
  clearedAttempts: z.number().int().min(0).optional(),
});
export type HumanDecision = z.infer<typeof HumanDecisionSchema>;

export const UserStorySchema = z.looseObject({
  id: z
    .string()
    .min(1)
    .max(MAX_STORY_ID_LENGTH, `story ids may be at most ${MAX_STORY_ID_LENGTH} characters long`)
    .regex(
      STORY_ID_PATTERN,
      "story ids may use only letters, digits, '.', '_' and '-' (they go into commit messages, trailers and log lines)",
    ),
  title: z.string().min(1),
  description: z.string().default(""),
  acceptanceCriteria: z.array(z.string()).default([]),
  /**
   * Each criterion's stable id (`AC-1`, `AC-2`...), in the order of acceptanceCriteria (prd/criteria.ts).
   * Absent: the ids are the positions. `nax plan` writes it and keeps an id while its criterion's text stays.
   */
  acceptanceCriteriaIds: z
    .array(z.string().regex(CRITERION_ID_PATTERN, 'criterion ids look like "AC-1", "AC-2"...'))
    .optional(),
  tags: z.array(z.string()).optional(),
  dependencies: z.array(z.string()).optional(),
  status: StoryStatusSchema.default("pending"),
  attempts: z.number().int().min(0).default(0),
  routing: RoutingSchema.optional(),
  priorFailures: z
    .preprocess((v) => (Array.isArray(v) ? v.map(normalizePriorFailure) : v), z.array(PriorFailureSchema))
    .optional(),
  contextFiles: z.array(z.string()).optional(),
  /** The nax reference's name for contextFiles; read the same way (storyContextFiles). */
  relevantFiles: z.array(z.string()).optional(),
  /** The nax reference's place for a story's complexity; routing.complexity wins when both are set. */
  complexity: ComplexitySchema.optional(),
  escalations: z
    .preprocess((v) => (Array.isArray(v) ? v.map(normalizeEscalation) : v), z.array(EscalationSchema))
    .optional(),
  /** Every human decision about this story, oldest first (`nax story`). */
  decisions: z.array(HumanDecisionSchema).optional(),
  /** Pins the story's sessions to this agent, whatever its tier names (fallback may still switch it). */
  agent: z.enum(AGENT_NAMES).optional(),
  /** Pins the story's sessions to this model (of its agent). */
  model: z.string().min(1).optional(),
  /** Extra attempts a person granted on a tier after every tier was spent (the answer `retry` to a question). */
  grants: z
    .array(z.looseObject({ tier: z.string(), questionId: z.string().optional(), at: z.string().optional() }))
    .optional(),
  /** `false`: the story passed without its tests being run (`quality.requireTests: false`, trap 28). Absent otherwise. */
  verified: z.literal(false).optional(),
});
export type UserStory = z.infer<typeof UserStorySchema>;

/** The files a story names for its prompt context: contextFiles, then the reference's relevantFiles, once each. */
export function storyContextFiles(story: Pick<UserStory, "contextFiles" | "relevantFiles">): string[] {
  return [...new Set([...(story.contextFiles ?? []), ...(story.relevantFiles ?? [])])];
}

/** Written by `nax plan`: which agent and model planned this PRD, when, in how many sessions, for what cost. */
export const PlanRecordSchema = z.looseObject({
  at: z.string(),
  agent: z.string(),
  model: z.string(),
  sessions: z.number().int().min(1),
  /** As the agent reported it for those sessions (USD). */
  costUsd: z.number().min(0),
});
export type PlanRecord = z.infer<typeof PlanRecordSchema>;

export const PrdSchema = z.looseObject({
  /** An editor's pointer to the JSON Schema (`nax schema prd`); nax itself ignores it. */
  $schema: z.string().optional(),
  project: z.string().min(1),
  feature: z.string().min(1),
  branchName: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  planned: PlanRecordSchema.optional(),
  userStories: z.array(UserStorySchema),
});
export type Prd = z.infer<typeof PrdSchema>;
