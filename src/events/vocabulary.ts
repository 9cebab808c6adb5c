/**
 * The closed sets event payloads draw from (stage names, stage actions,
 * agent outcomes, session purposes, levels, run endings, story counts), as
 * zod enums so the event schemas, the JSON Schema and the TypeScript types
 * share them. Stage names and session purposes live here (the pipeline
 * re-exports them) because events sit beside the pipeline, never below it.
 */
import { z } from "zod";
import type { AgentOutcome } from "../agents/types";

/**
 * The built-in stages, in today's (`test-after`) order. Stages are registered
 * by name (pipeline/stage-registry.ts), so a strategy may add its own: the
 * schema accepts any registered-looking name (lowercase, digits, dashes)
 * rather than this closed list, and events stay schema'd by that shape.
 */
export const STAGE_NAMES = [
  "routing",
  "context",
  "prompt",
  "agent",
  "verify",
  "rectify",
  "review",
  "autofix",
  "regression",
  "integrity",
  "completion",
] as const;
export type BuiltinStageName = (typeof STAGE_NAMES)[number];
export const STAGE_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const StageNameSchema = z
  .string()
  .regex(STAGE_NAME_PATTERN, "a stage name is lowercase words joined by dashes (e.g. verify, test-writer)");
/** A built-in name or any other registered one; the `string & {}` keeps editor completion for the built-ins. */
export type StageName = BuiltinStageName | (string & {});

/** Every `StageResult.action`. */
export const StageActionSchema = z.enum(["continue", "retry", "escalate", "fail", "skip", "pause", "stop"]);
export type StageAction = z.infer<typeof StageActionSchema>;

export const SessionPurposeSchema = z.enum(["implement", "rectify", "autofix", "routing"]);
export type SessionPurpose = z.infer<typeof SessionPurposeSchema>;

const AGENT_OUTCOMES = [
  "success",
  "error",
  "rate-limited",
  "auth-error",
  "timeout",
  "stalled",
  "aborted",
  "not-found",
  "refused",
] as const satisfies readonly AgentOutcome[];
/** Compiles only while this list names every `AgentOutcome` (agents/types.ts owns the meaning of each). */
const everyOutcomeListed: Exclude<AgentOutcome, (typeof AGENT_OUTCOMES)[number]> extends never ? true : false = true;
void everyOutcomeListed;
/** Written by nax before the contract spoke of `refused`: still read from old event logs, never written. */
const LEGACY_AGENT_OUTCOMES = ["root-refused"] as const;
export const AgentOutcomeSchema = z.enum([...AGENT_OUTCOMES, ...LEGACY_AGENT_OUTCOMES]);

export const LogLevelSchema = z.enum(["debug", "info", "warn", "error"]);
export type LogLevel = z.infer<typeof LogLevelSchema>;

export const RunTerminalStatusSchema = z.enum(["completed", "failed", "stalled"]);
export type RunTerminalStatus = z.infer<typeof RunTerminalStatusSchema>;

const count = z.number().int().min(0);
/** The PRD's story counts by status (prd/counts.ts computes them). */
export const StoryCountsSchema = z.object({
  total: count,
  passed: count,
  failed: count,
  paused: count,
  blocked: count,
  skipped: count,
  pending: count,
});

/** The lane (1..`execution.parallel`) an attempt runs on; events of a story's attempt carry it when the emitter knows it. */
export const LaneSchema = z.number().int().min(1);

/** The events `StoryContext.emit` stamps with the attempt's lane. */
export const LANE_EVENT_TYPES: ReadonlySet<string> = new Set([
  "story:started",
  "stage:started",
  "stage:completed",
  "agent:session-started",
  "agent:session-completed",
  "agent:usage",
  "agent:rate-limited",
  "agent:switched",
]);
