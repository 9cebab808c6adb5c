/**
 * One line of a run's event log `nax/features/<f>/runs/<runId>.jsonl`: the
 * versioned event envelope (events/envelope.ts), the same JSON `nax run
 * --json`, `nax logs --json` and hooks see. Logs written before the envelope
 * was versioned (lines with `ts` and no `v`) are still read: such a line is
 * lifted into the envelope and then checked by the same event schemas, so a
 * reader sees one shape whatever the log's age.
 */
import { z } from "zod";
import { EVENT_ENVELOPE_VERSION, type EventEnvelope, EventEnvelopeSchema } from "../events/envelope";
import { LogLevelSchema } from "../events/vocabulary";

export const EventLineSchema = EventEnvelopeSchema;
export type EventLine = EventEnvelope;

/** The line nax wrote before envelope v1: `ts` for `at`, and a `log` event's payload flattened into the line. */
const LegacyEventLineSchema = z.object({
  ts: z.string(),
  seq: z.number().int(),
  runId: z.string(),
  type: z.string(),
  level: LogLevelSchema,
  message: z.string(),
  storyId: z.string().optional(),
  stage: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});
type LegacyEventLine = z.infer<typeof LegacyEventLineSchema>;

function liftLegacy(line: LegacyEventLine) {
  const { ts, data, ...rest } = line;
  // The old writer kept a `log` event's level and message on the line and only its extra fields in `data`.
  const payload =
    line.type === "log"
      ? {
          level: line.level,
          message: line.message,
          ...(line.storyId === undefined ? {} : { storyId: line.storyId }),
          ...(line.stage === undefined ? {} : { stage: line.stage }),
          ...(Object.keys(data).length > 0 ? { data } : {}),
        }
      : data;
  return { ...rest, v: EVENT_ENVELOPE_VERSION, at: ts, data: payload };
}

/** What a reader accepts: an envelope, or a pre-envelope line lifted into one and checked by the same schemas. */
export const StoredEventLineSchema = z.union([
  EventEnvelopeSchema,
  LegacyEventLineSchema.transform(liftLegacy).pipe(EventEnvelopeSchema),
]);
