/**
 * A control command (`nax pause|resume|skip|abort`) as it is stored: one JSON
 * line of the feature's command file (`nax/features/<f>/runs/control/commands.jsonl`,
 * beside the event logs), append-only, each with its own id. The run that
 * applies a command records its id in the applied ledger
 * (`runs/control/applied.json`, written atomically), so a line written twice
 * is applied once and a command read but not applied before a crash is
 * applied by the run that resumes. Shared by the CLI (writer), the run
 * (applier) and `nax status` (pending).
 */
import { join } from "node:path";
import { z } from "zod";

export const CONTROL_KINDS = ["pause", "resume", "skip", "abort"] as const;
export const ControlKindSchema = z.enum(CONTROL_KINDS);
export type ControlKind = z.infer<typeof ControlKindSchema>;

export const ControlCommandSchema = z.object({
  id: z.string().min(1),
  kind: ControlKindSchema,
  /** ISO time it was written. */
  at: z.string(),
  /** `skip`: the story to skip. */
  storyId: z.string().optional(),
  /** `pause --now`: stop the running sessions at once instead of at the next safe point. */
  now: z.boolean().optional(),
  /** The run that was live when the command was written (for messages; a resumed run applies it too). */
  runId: z.string().optional(),
});
export type ControlCommand = z.infer<typeof ControlCommandSchema>;

export const CONTROL_OUTCOMES = ["applied", "ignored", "expired"] as const;
export const ControlOutcomeSchema = z.enum(CONTROL_OUTCOMES);

export const AppliedEntrySchema = z.object({
  id: z.string(),
  kind: ControlKindSchema,
  outcome: ControlOutcomeSchema,
  runId: z.string(),
  at: z.string(),
});
export type AppliedEntry = z.infer<typeof AppliedEntrySchema>;

export const AppliedLedgerSchema = z.object({ applied: z.array(AppliedEntrySchema) });

export interface ControlPaths {
  commands: string;
  applied: string;
}

/**
 * Both files live in `runs/control/`, beside the event logs (and so out of git), in a folder of their own:
 * readers take every `runs/*.jsonl` for a run's event log.
 */
export function controlPaths(runsDir: string): ControlPaths {
  const dir = join(runsDir, "control");
  return { commands: join(dir, "commands.jsonl"), applied: join(dir, "applied.json") };
}

/** What a person reads: `pause (now)`, `skip US-002`. */
export function describeCommand(command: Pick<ControlCommand, "kind" | "storyId" | "now">): string {
  if (command.kind === "skip") return `skip ${command.storyId ?? "?"}`;
  if (command.kind === "pause" && command.now) return "pause --now";
  return command.kind;
}
