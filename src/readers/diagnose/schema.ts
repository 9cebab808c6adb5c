/** The `nax diagnose` report: the zod schema is both the type and the `--json` contract. */
import { z } from "zod";
import { LockSummarySchema } from "../project-status";

export const RunStateSchema = z.enum([
  "not-started",
  "running",
  "stalled",
  "crashed",
  /** Stopped by a signal (Ctrl-C): the user's own stop, not a crash. */
  "interrupted",
  "completed",
  "failed",
  "unknown",
]);
export type RunStateName = z.infer<typeof RunStateSchema>;

export const RunDiagnosisSchema = z.object({
  state: RunStateSchema,
  runId: z.string().nullable(),
  pid: z.number().int().nullable(),
  /** null when unknown (no pid, or another host). */
  pidAlive: z.boolean().nullable(),
  heartbeatAgeMs: z.number().nullable(),
  /** The story in progress when the run stopped (or now, while it runs). */
  currentStoryId: z.string().nullable(),
  exitReason: z.string().nullable(),
  /** The signal that interrupted the run, when one did. */
  signal: z.string().nullable(),
  passed: z.number().int(),
  total: z.number().int(),
  costUsd: z.number(),
  evidence: z.array(z.string()),
});
export type RunDiagnosis = z.infer<typeof RunDiagnosisSchema>;

export const PatternSchema = z.enum([
  "crashed-run",
  "interrupted-run",
  "hung-process",
  "stale-lock",
  "environmental",
  "rate-limited",
  "session-crash",
  "session-timeout",
  "verification-timeout",
  "no-changes",
  "test-integrity",
  "isolation-violation",
  "test-mismatch",
  "tiers-exhausted",
  "dependency-blocked",
  "needs-review",
  "unknown",
]);
export type Pattern = z.infer<typeof PatternSchema>;

export const FindingSchema = z.object({
  pattern: PatternSchema,
  /** null for run-level findings (crash, lock). */
  storyId: z.string().nullable(),
  storyStatus: z.string().nullable(),
  summary: z.string(),
  evidence: z.array(z.string()),
  fix: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const DiagnoseReportSchema = z.object({
  workdir: z.string(),
  feature: z.string(),
  run: RunDiagnosisSchema,
  lock: LockSummarySchema,
  findings: z.array(FindingSchema),
  recommendations: z.array(z.string()),
  /** Why prd.json could not be read, if it could not. */
  prdError: z.string().optional(),
});
export type DiagnoseReport = z.infer<typeof DiagnoseReportSchema>;
