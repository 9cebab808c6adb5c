/**
 * The one logger. Records go to sinks: the console renderer (built in cli/)
 * and, during a run, the bus (as `log` events, so the event log holds them).
 * Nothing here prints directly; no secrets or env values are ever logged.
 */
import type { LogLevel } from "../events/events";

export interface LogFields {
  storyId?: string;
  stage?: string;
  data?: Record<string, unknown>;
}

export interface LogRecord extends LogFields {
  level: LogLevel;
  message: string;
  at: string;
}

export type LogSink = (record: LogRecord) => void;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  addSink(sink: LogSink): () => void;
}

export function createLogger(now: () => string, sinks: LogSink[] = []): Logger {
  const all = new Set<LogSink>(sinks);
  const log = (level: LogLevel, message: string, fields: LogFields = {}) => {
    const record: LogRecord = { level, message, at: now(), ...fields };
    for (const sink of all) sink(record);
  };
  return {
    debug: (m, f) => log("debug", m, f),
    info: (m, f) => log("info", m, f),
    warn: (m, f) => log("warn", m, f),
    error: (m, f) => log("error", m, f),
    addSink(sink) {
      all.add(sink);
      return () => all.delete(sink);
    },
  };
}

/** A logger that keeps records in memory: for tests. */
export function createMemoryLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = createLogger(() => new Date().toISOString(), [(r) => records.push(r)]);
  return Object.assign(logger, { records });
}
