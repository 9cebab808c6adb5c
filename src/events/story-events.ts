/** One story's attempts and outcome (execution/attempt.ts, story-loop.ts and story-outcome.ts own them), and its stages' timing (define-stage.ts). */
import { z } from "zod";
import { ComplexitySchema } from "../prd/schema";
import { defineEvent } from "./define";
import { LaneSchema, StageActionSchema, StageNameSchema, StoryCountsSchema } from "./vocabulary";

const storyId = z.string();
const lane = LaneSchema.optional();

export const STORY_EVENTS = [
  defineEvent(
    "story:started",
    "an attempt of a story begins, on this tier, agent and model",
    z.object({
      storyId,
      title: z.string(),
      attempt: z.number().int().min(1),
      tier: z.string(),
      agent: z.string().optional(),
      model: z.string(),
      complexity: ComplexitySchema,
      testStrategy: z.string(),
      lane,
    }),
  ),
  defineEvent(
    "story:completed",
    "the story passed; `counts` are the PRD's counts after it",
    z.object({
      storyId,
      attempts: z.number().int(),
      costUsd: z.number(),
      durationMs: z.number(),
      commit: z.string().optional(),
      counts: StoryCountsSchema.optional(),
    }),
  ),
  defineEvent(
    "story:failed",
    "the story failed for good (no attempts or tiers left); `stage` is the stage that decided",
    z.object({
      storyId,
      reason: z.string(),
      attempts: z.number().int(),
      stage: StageNameSchema.optional(),
      counts: StoryCountsSchema.optional(),
    }),
  ),
  defineEvent(
    "story:paused",
    "the story was paused (rate limits exhausted, or a stage asked for a person)",
    z.object({ storyId, reason: z.string(), counts: StoryCountsSchema.optional() }),
  ),
  defineEvent(
    "story:escalated",
    "the story's next attempt runs on a stronger tier",
    z.object({ storyId, fromTier: z.string(), toTier: z.string(), reason: z.string() }),
  ),
  defineEvent("stage:started", "a pipeline stage began", z.object({ storyId, stage: StageNameSchema, lane })),
  defineEvent(
    "stage:completed",
    "a pipeline stage ended with this action",
    z.object({
      storyId,
      stage: StageNameSchema,
      action: StageActionSchema,
      durationMs: z.number(),
      reason: z.string().optional(),
      lane,
    }),
  ),
] as const;
