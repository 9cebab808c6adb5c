/**
 * One line of a run's event log `nax/features/<f>/runs/<runId>.jsonl`. Every
 * bus event becomes one line; `level` and `message` make it readable by
 * `nax logs` without knowing each event's payload.
 */
import { z } from "zod";

export const EventLineSchema = z.object({
  ts: z.string(),
  seq: z.number().int(),
  runId: z.string(),
  type: z.string(),
  level: z.enum(["debug", "info", "warn", "error"]),
  message: z.string(),
  storyId: z.string().optional(),
  stage: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});
export type EventLine = z.infer<typeof EventLineSchema>;
