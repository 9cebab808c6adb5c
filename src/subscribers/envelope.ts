/**
 * A bus event as the versioned JSON envelope (events/envelope.ts): the one
 * shape the event log, `nax run --json` and hook stdin write. The level and
 * message come from describe-event.ts; values under secret-looking keys are
 * redacted; the result is checked by the envelope schema, so nothing is
 * written that a reader would reject (a payload that breaks its schema is a
 * bug, reported by the bus with the subscriber's name).
 */
import { EVENT_ENVELOPE_VERSION, type EventEnvelope, EventEnvelopeSchema } from "../events/envelope";
import type { AnyNaxEvent } from "../events/events";
import { formatZodIssues } from "../utils/zod-issues";
import { describeEvent } from "./describe-event";
import { redactSecrets } from "./redact";

export function toEnvelope(event: AnyNaxEvent): EventEnvelope {
  const description = describeEvent(event);
  const candidate = {
    v: EVENT_ENVELOPE_VERSION,
    type: event.type,
    runId: event.runId,
    seq: event.seq,
    at: event.at,
    level: description.level,
    message: description.message,
    ...(description.storyId === undefined ? {} : { storyId: description.storyId }),
    ...(description.stage === undefined ? {} : { stage: description.stage }),
    data: redactSecrets(event.data),
  };
  const parsed = EventEnvelopeSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new Error(`event ${event.type} #${event.seq} breaks its schema: ${formatZodIssues(parsed.error).join("; ")}`);
  }
  return parsed.data;
}

/** One envelope as one JSON line. */
export function envelopeLine(event: AnyNaxEvent): string {
  return `${JSON.stringify(toEnvelope(event))}\n`;
}
