/**
 * Every event a run emits, listed once (`EVENTS`), and the typed event map
 * built from those definitions: the map is never written by hand, so adding
 * an event is one `defineEvent` in a family file plus its line in
 * subscribers/describe-event.ts (which will not compile without it). Each
 * event has exactly one owner that emits it, once per occurrence (docs/architecture.md, "Events and subscribers").
 * The bus wraps every payload with the run id, time and sequence; the JSON
 * form of that (the versioned envelope) is events/envelope.ts.
 *
 * Declared but not emitted by any code path yet, and relied on by nothing:
 * `heartbeat` — the
 * live status file refreshes `lastHeartbeat` from its own timer instead, so
 * the event log is not filled with a line every ten seconds.
 */
import { z } from "zod";
import { CONTROL_EVENTS } from "./control-events";
import { defineEvent, type EventMapOf } from "./define";
import { EVIDENCE_EVENTS } from "./evidence-events";
import { INTERACTION_EVENTS } from "./interaction-events";
import { RUN_EVENTS } from "./run-events";
import { SESSION_EVENTS } from "./session-events";
import { STORY_EVENTS } from "./story-events";
import { LogLevelSchema } from "./vocabulary";
import { WORKER_EVENTS } from "./worker-events";

export type { LogLevel, RunTerminalStatus, SessionPurpose, StageName } from "./vocabulary";

const OTHER_EVENTS = [
  defineEvent(
    "heartbeat",
    "liveness (not emitted yet: the status file keeps its own heartbeat)",
    z.object({ storyId: z.string().optional(), phase: z.string().optional() }),
  ),
  defineEvent(
    "log",
    "a log record of the run (warnings, errors, notes); `data` holds its extra fields",
    z.object({
      level: LogLevelSchema,
      message: z.string(),
      storyId: z.string().optional(),
      stage: z.string().optional(),
      data: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
] as const;

export const EVENTS = [
  ...RUN_EVENTS,
  ...STORY_EVENTS,
  ...SESSION_EVENTS,
  ...EVIDENCE_EVENTS,
  ...WORKER_EVENTS,
  ...INTERACTION_EVENTS,
  ...CONTROL_EVENTS,
  ...OTHER_EVENTS,
] as const;

export type NaxEventMap = EventMapOf<typeof EVENTS>;
export type NaxEventType = keyof NaxEventMap;

export const EVENT_TYPES: readonly NaxEventType[] = EVENTS.map((def) => def.type);

export interface NaxEvent<T extends NaxEventType = NaxEventType> {
  type: T;
  runId: string;
  /** ISO time of emission. */
  at: string;
  /** Monotonic sequence number within the run. */
  seq: number;
  data: NaxEventMap[T];
}

export type AnyNaxEvent = { [K in NaxEventType]: NaxEvent<K> }[NaxEventType];
