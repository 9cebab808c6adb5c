/**
 * The versioned JSON form of an event, the ONE shape every consumer sees:
 * each line of the event log, each line of `nax run --json`, each line of
 * `nax logs --json`, and a hook's stdin. `data` is the event's payload as its
 * definition says; `level`, `message`, `storyId` and `stage` are derived from
 * the event (subscribers/describe-event.ts) so a reader can show or filter a
 * line without knowing each payload. A discriminated union over `type`:
 * parsing a line checks its payload against that event's own schema.
 */
import { z } from "zod";
import type { EventDef } from "./define";
import { EVENTS, type NaxEventType } from "./events";
import { LogLevelSchema } from "./vocabulary";

export const EVENT_ENVELOPE_VERSION = 1;

const envelopeFields = {
  runId: z.string(),
  /** Monotonic within the run, from 1. */
  seq: z.number().int(),
  /** ISO time of emission. */
  at: z.string(),
  level: LogLevelSchema,
  /** What the event means to a person, one line. */
  message: z.string(),
  storyId: z.string().optional(),
  stage: z.string().optional(),
};

type EnvelopeOf<D extends EventDef> = z.ZodObject<
  { v: z.ZodLiteral<typeof EVENT_ENVELOPE_VERSION>; type: z.ZodLiteral<D["type"]> } & typeof envelopeFields & {
      data: D["payload"];
    }
>;
type EnvelopesOf<T extends readonly EventDef[]> = { [K in keyof T]: T[K] extends EventDef ? EnvelopeOf<T[K]> : never };

function envelopeOf<D extends EventDef>(def: D): EnvelopeOf<D> {
  return z
    .object({
      v: z.literal(EVENT_ENVELOPE_VERSION),
      type: z.literal(def.type),
      ...envelopeFields,
      data: def.payload,
    })
    .meta({ title: def.type, description: def.description }) as EnvelopeOf<D>;
}

/** `.map` loses the tuple's element types; each element is still `envelopeOf` of the definition at its index. */
function envelopesOf<T extends readonly EventDef[]>(defs: T): EnvelopesOf<T> {
  return defs.map(envelopeOf) as EnvelopesOf<T>;
}

export const EventEnvelopeSchema = z.discriminatedUnion("type", envelopesOf(EVENTS));
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;
export type EnvelopeFor<T extends NaxEventType> = Extract<EventEnvelope, { type: T }>;
