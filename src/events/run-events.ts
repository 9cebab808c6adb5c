/** The run's lifecycle events: one `run:started`, then `run:completed` or `run:crashed` (the Runner owns all four). */
import { z } from "zod";
import { ComplexitySchema } from "../prd/schema";
import { defineEvent } from "./define";
import { RunTerminalStatusSchema, StoryCountsSchema } from "./vocabulary";

export const RUN_EVENTS = [
  defineEvent(
    "run:started",
    "the run took the lock and is about to pick its first story",
    z.object({
      feature: z.string(),
      project: z.string(),
      workdir: z.string(),
      pid: z.number().int(),
      hostname: z.string(),
      dryRun: z.boolean(),
      costLimit: z.number(),
      counts: StoryCountsSchema,
    }),
  ),
  defineEvent(
    "routing:completed",
    "every story still to run has its one routing decision, made before its first attempt",
    z.object({
      strategy: z.enum(["keyword", "llm", "manual"]),
      decisions: z.array(
        z.object({
          storyId: z.string(),
          complexity: ComplexitySchema,
          tier: z.string(),
          testStrategy: z.string(),
          decidedBy: z.enum(["keyword", "llm", "manual", "prd", "plugin"]),
          /** Made now (true), or given in prd.json / reused from an earlier run (false). */
          fresh: z.boolean(),
        }),
      ),
      costUsd: z.number(),
      /** `computed-from-tokens`: the SDK's token usage × routing.llm.pricing; `agent-reported`: the agent CLI's figure. */
      costSource: z.enum(["none", "computed-from-tokens", "agent-reported"]),
      notes: z.array(z.string()),
    }),
  ),
  defineEvent(
    "run:completed",
    "the run ended on its own: every story done, a limit reached, or nothing left that can run",
    z.object({
      status: RunTerminalStatusSchema,
      exitReason: z.string().optional(),
      counts: StoryCountsSchema,
      costSpent: z.number(),
      /** The part of costSpent estimated from tokens × an agent's price table; absent when none was. */
      costEstimated: z.number().optional(),
      iterations: z.number().int(),
      durationMs: z.number(),
    }),
  ),
  defineEvent(
    "run:paused",
    "the run is paused (`nax pause`): running sessions finish, no new agent session starts until `nax resume`",
    z.object({ reason: z.string(), counts: StoryCountsSchema }),
  ),
  defineEvent(
    "run:crashed",
    "the run was interrupted (a signal, an abort or an internal error)",
    z.object({
      signal: z.string().optional(),
      error: z.string().optional(),
      storyId: z.string().optional(),
      counts: StoryCountsSchema.optional(),
    }),
  ),
] as const;
