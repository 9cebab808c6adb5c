/**
 * The worker's last line (docs/worker.md): what became of its one story. The
 * branch it pushed (name and commit), the verification its passing attempt
 * ran (command, exit code, counts, the commit whose tree it ran on), its cost,
 * and one terminal reason from a fixed list, each with its exit code. A
 * coordinator parses it with this schema; a "passed" here is evidence only:
 * the coordinator's gate on its merged tree decides (worker/coordinator.ts).
 */
import { z } from "zod";
import { formatZodIssues } from "../utils/zod-issues";

export const WORKER_RESULT_VERSION = 1;

export const TERMINAL_REASONS = [
  "passed",
  "failed",
  "budget-exhausted",
  "deadline",
  "agent-unusable",
  "test-command-unusable",
  "push-failed",
  "aborted",
  "internal-error",
] as const;
export type TerminalReason = (typeof TERMINAL_REASONS)[number];

/** `aborted` by a signal exits 130 (SIGINT) or 143 (SIGTERM) instead; a bad job exits 2 with no result line. */
export const EXIT_CODE_FOR_REASON: Record<TerminalReason, number> = {
  passed: 0,
  failed: 1,
  "budget-exhausted": 1,
  deadline: 1,
  "agent-unusable": 1,
  "test-command-unusable": 1,
  "push-failed": 1,
  aborted: 130,
  "internal-error": 1,
};

const sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "a full commit id");

export const GateEvidenceSchema = z.strictObject({
  command: z.string(),
  scope: z.enum(["scoped", "full"]),
  exitCode: z.number().int().nullable(),
  passed: z.boolean(),
  passedCount: z.number().int().min(0),
  failedCount: z.number().int().min(0),
  /** The commit whose tree the command ran on (the attempt's work, committed as it was verified). */
  commit: sha,
  durationMs: z.number().int().min(0),
});
export type GateEvidence = z.infer<typeof GateEvidenceSchema>;

export const WorkerResultSchema = z
  .strictObject({
    v: z.literal(WORKER_RESULT_VERSION),
    type: z.literal("worker:result"),
    runId: z.string(),
    feature: z.string(),
    storyId: z.string(),
    baseCommit: sha,
    reason: z.enum(TERMINAL_REASONS),
    /** What happened, for a person (the failure, the limit, the error). */
    detail: z.string().optional(),
    /** The passed story's branch, pushed: present exactly when `reason` is `passed`. */
    branch: z.strictObject({ remote: z.string(), name: z.string(), commit: sha }).optional(),
    /** Failed or interrupted attempts' work, pushed to the same remote under these refs. */
    kept: z.array(z.strictObject({ ref: z.string(), commit: sha })),
    /** The verification of the last attempt that reached one. */
    gate: GateEvidenceSchema.optional(),
    costUsd: z.number().min(0),
    attempts: z.number().int().min(0),
    durationMs: z.number().int().min(0),
    /** ISO time the result was written. */
    at: z.string(),
  })
  .refine((r) => (r.reason === "passed") === (r.branch !== undefined), {
    message: "a branch is reported exactly when the reason is `passed`",
    path: ["branch"],
  });

export type WorkerResult = z.infer<typeof WorkerResultSchema>;

/** The result line in a worker's stdout (its last non-empty line), or why there is none. */
export function parseWorkerResult(stdout: string): { ok: true; result: WorkerResult } | { ok: false; error: string } {
  const last = stdout.trimEnd().split("\n").at(-1) ?? "";
  let json: unknown;
  try {
    json = JSON.parse(last);
  } catch {
    return { ok: false, error: `the worker's last line is not JSON: ${last.slice(0, 200) || "(no output)"}` };
  }
  const parsed = WorkerResultSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: `not a worker result: ${formatZodIssues(parsed.error).join("; ")}` };
  return { ok: true, result: parsed.data };
}
