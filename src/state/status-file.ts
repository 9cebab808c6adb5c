/** The status file schema: one shape for `nax/status.json` and the feature snapshot (README "Files nax writes"). */
import { z } from "zod";

export const RunStatusSchema = z.enum(["running", "completed", "failed", "stalled", "crashed", "precheck-failed"]);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const ProgressSchema = z.object({
  total: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  paused: z.number().int(),
  blocked: z.number().int(),
  skipped: z.number().int(),
  pending: z.number().int(),
  /** Of `passed`, how many passed unverified (`requireTests: false`, trap 28). */
  unverified: z.number().int().optional(),
});

export const CurrentStorySchema = z.object({
  storyId: z.string(),
  title: z.string(),
  complexity: z.string(),
  testStrategy: z.string(),
  model: z.string(),
  tier: z.string(),
  /** The agent the story's session runs on now; absent in files of older runs. */
  agent: z.string().optional(),
  attempt: z.number().int(),
  phase: z.string(),
  /** The lane (1..`execution.parallel`) the story runs on; absent in files of older runs. */
  lane: z.number().int().optional(),
  /** While the story waits for a person (phase `paused`): the question's id (`nax answer <id> <choice>`). */
  questionId: z.string().optional(),
});

/** A question waiting for an answer (interaction/): what `nax status` shows and `nax answer` checks a choice against. */
export const WaitingQuestionSchema = z.object({
  id: z.string(),
  kind: z.string(),
  prompt: z.string(),
  choices: z.array(z.string()),
  fallback: z.string(),
  askedAt: z.string(),
  expiresAt: z.string(),
  storyId: z.string().optional(),
  lane: z.number().int().optional(),
});
export type WaitingQuestion = z.infer<typeof WaitingQuestionSchema>;

export const StatusFileSchema = z.object({
  version: z.literal(1),
  run: z.object({
    id: z.string(),
    feature: z.string(),
    startedAt: z.string(),
    status: RunStatusSchema,
    pid: z.number().int(),
    hostname: z.string(),
    dryRun: z.boolean(),
    crashedAt: z.string().optional(),
    crashSignal: z.string().optional(),
    exitReason: z.string().optional(),
  }),
  progress: ProgressSchema,
  cost: z.object({
    spent: z.number(),
    limit: z.number(),
    /** What routing cost, included in `spent`; `computed-from-tokens` is nax's figure, not an agent's report. */
    routing: z.object({ usd: z.number(), source: z.enum(["computed-from-tokens", "agent-reported"]) }).optional(),
    /** The part of `spent` estimated from tokens × an agent's price table (agents that report no cost). */
    estimated: z.number().optional(),
  }),
  current: CurrentStorySchema.nullable(),
  /** Every story being worked on now, one per lane (`execution.parallel`); absent in files of older runs. */
  lanes: z.array(CurrentStorySchema).optional(),
  rateLimit: z.object({ waitingUntil: z.string(), reason: z.string() }).nullable().optional(),
  /** The run's agent switches (`agent:switched`), the latest last; absent until one happens. */
  agentSwitches: z
    .array(z.object({ storyId: z.string(), from: z.string(), to: z.string(), reason: z.string(), at: z.string() }))
    .optional(),
  /** Questions waiting for a person now; absent when none ever was. */
  questions: z.array(WaitingQuestionSchema).optional(),
  iterations: z.number().int(),
  startedAt: z.string(),
  updatedAt: z.string(),
  durationMs: z.number(),
  lastHeartbeat: z.string(),
});

export type StatusFile = z.infer<typeof StatusFileSchema>;
