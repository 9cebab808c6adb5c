/**
 * `defineEvent(type, payload)`: one event's name and its payload's zod
 * schema, declared once. The typed event map (`EventMapOf`) and the JSON
 * envelope's discriminated union are both built from these definitions, so
 * an event's TypeScript type, what the event log holds, what readers accept
 * and what `nax schema events` prints cannot drift apart.
 */
import type { z } from "zod";

export interface EventDef<T extends string = string, P extends z.ZodObject = z.ZodObject> {
  readonly type: T;
  readonly payload: P;
  /** One line for `nax schema events` and the README. */
  readonly description: string;
}

export function defineEvent<T extends string, P extends z.ZodObject>(
  type: T,
  description: string,
  payload: P,
): EventDef<T, P> {
  return { type, payload, description };
}

/** `{ [type]: payload type }` for a tuple of definitions. */
export type EventMapOf<Defs extends readonly EventDef[]> = {
  [D in Defs[number] as D["type"]]: z.output<D["payload"]>;
};
