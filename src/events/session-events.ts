/** What happens inside a story's attempt: agent sessions, verification, repair rounds, regression gates (each owned by its stage). */
import { z } from "zod";
import { defineEvent } from "./define";
import { AgentOutcomeSchema, LaneSchema, SessionPurposeSchema } from "./vocabulary";

const storyId = z.string();
const attempt = z.number().int().min(1);
const lane = LaneSchema.optional();

export const SESSION_EVENTS = [
  defineEvent(
    "agent:session-started",
    "an agent session began, on `agent` (absent in logs of older runs) with `model`",
    z.object({
      storyId,
      purpose: SessionPurposeSchema,
      agent: z.string().optional(),
      model: z.string(),
      tier: z.string(),
      lane,
    }),
  ),
  defineEvent(
    "agent:session-completed",
    "an agent session ended; `costUsd` is what the agent reported, or tokens × its price table when `costEstimated`",
    z.object({
      storyId,
      purpose: SessionPurposeSchema,
      agent: z.string().optional(),
      outcome: AgentOutcomeSchema,
      costUsd: z.number(),
      costEstimated: z.boolean().optional(),
      inputTokens: z.number(),
      outputTokens: z.number(),
      durationMs: z.number(),
      numTurns: z.number(),
      sessionId: z.string().optional(),
      error: z.string().optional(),
      /** The story's changes since its base after this session (files, lines added and removed). */
      diff: z.object({ files: z.number().int(), insertions: z.number().int(), deletions: z.number().int() }).optional(),
      lane,
    }),
  ),
  defineEvent(
    "agent:usage",
    "the session's tokens so far, each time the agent's stream reports more; its cost comes only with agent:session-completed",
    z.object({ storyId, purpose: SessionPurposeSchema, inputTokens: z.number(), outputTokens: z.number(), lane }),
  ),
  defineEvent(
    "agent:rate-limited",
    "the agent was rate limited; the session is retried at `until` without spending an attempt",
    z.object({ storyId, waitMs: z.number(), until: z.string(), reason: z.string(), lane }),
  ),
  defineEvent(
    "agent:switched",
    "the session moved from one agent to the next in autoMode.fallback (not installed, or rate limited past the wait) without spending an attempt",
    z.object({ storyId, from: z.string(), to: z.string(), model: z.string(), reason: z.string(), lane }),
  ),
  defineEvent(
    "verify:completed",
    "the test command ran; counts are 0 when the runner's output had none",
    z.object({
      storyId,
      passed: z.boolean(),
      command: z.string(),
      scope: z.enum(["scoped", "full"]),
      passedCount: z.number().int(),
      failedCount: z.number().int(),
      durationMs: z.number(),
      summary: z.string().optional(),
    }),
  ),
  defineEvent(
    "rectify:started",
    "a repair round for failing tests began",
    z.object({ storyId, attempt, failingTests: z.number().int() }),
  ),
  defineEvent(
    "rectify:completed",
    "a repair round ended; `passed` is the agent session's outcome, the next verify says whether tests pass",
    z.object({ storyId, attempt, passed: z.boolean() }),
  ),
  defineEvent(
    "autofix:started",
    "a lint/typecheck repair round began; `problems` names the failing checks",
    z.object({ storyId, attempt, problems: z.string() }),
  ),
  defineEvent(
    "autofix:completed",
    "a lint/typecheck repair round ended; `mechanical` when the fix commands alone fixed it",
    z.object({ storyId, attempt, passed: z.boolean(), mechanical: z.boolean() }),
  ),
  defineEvent(
    "regression:detected",
    "the full suite failed after stories had passed; `storyId` is the story the per-story gate ran for",
    z.object({
      storyId: z.string().optional(),
      storyIds: z.array(z.string()),
      failingTests: z.array(z.string()),
      mode: z.enum(["per-story", "deferred"]),
    }),
  ),
] as const;
