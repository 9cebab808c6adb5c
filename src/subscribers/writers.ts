/**
 * The two ways a subscriber writes a file, with the failure policy in one
 * place: a failed write warns once (not once per event: a warning becomes a
 * `log` event, which would otherwise feed back into a failing event log) and
 * is retried with the next update; it never throws into the run.
 */
import { errorMessage } from "../errors";
import type { Logger } from "../logger/logger";
import type { Fs } from "../system/fs";

interface WriterOptions {
  fs: Fs;
  path: string;
  /** Without a logger, a failure propagates to the bus, which reports it with the subscriber's name. */
  logger?: Logger;
  /** Names the file in messages: "status file", "event log". */
  what: string;
}

function failureReporter(options: WriterOptions) {
  let failing = false;
  return {
    failed(error: unknown, retry: string): void {
      if (!options.logger) throw error;
      if (failing) return;
      failing = true;
      options.logger.warn(`${options.what}: could not write ${options.path} (${errorMessage(error)}); ${retry}`, {
        data: { path: options.path },
      });
    },
    succeeded(): void {
      if (!failing) return;
      failing = false;
      options.logger?.info(`${options.what}: ${options.path} is writable again`, { data: { path: options.path } });
    },
  };
}

export interface LatestWriter {
  /** Replaces the file with `content` atomically. Calls made while a write runs coalesce: the file ends with the latest content. */
  write(content: string): Promise<void>;
}

export function createLatestWriter(options: WriterOptions): LatestWriter {
  const report = failureReporter(options);
  let latest = "";
  let dirty = false;
  let running: Promise<void> | undefined;

  const loop = async (): Promise<void> => {
    try {
      while (dirty) {
        dirty = false;
        try {
          await options.fs.writeAtomic(options.path, latest);
          report.succeeded();
        } catch (error) {
          report.failed(error, "it is retried with the next update");
          // Newer content arrived during the failed write: try once more with it; otherwise wait for the next update.
          if (!dirty) return;
        }
      }
    } finally {
      // Cleared in the same turn as the last `dirty` check, so a caller can never join a loop that has finished.
      running = undefined;
    }
  };

  return {
    write(content) {
      latest = content;
      dirty = true;
      running ??= loop();
      return running;
    },
  };
}

export interface AppendWriter {
  /** Appends `text`; lines that failed earlier are appended first, so order is kept. */
  append(text: string): Promise<void>;
}

/** Lines kept for retry while the file cannot be written; beyond this the oldest are dropped. */
const MAX_PENDING = 10_000;

export function createAppendWriter(options: WriterOptions): AppendWriter {
  const report = failureReporter(options);
  let pending: string[] = [];
  let dropped = 0;
  let queue: Promise<void> = Promise.resolve();

  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    try {
      await options.fs.appendText(options.path, batch.join(""));
      report.succeeded();
      if (dropped > 0) {
        options.logger?.warn(`${options.what}: ${dropped} line(s) were lost while ${options.path} was not writable`);
        dropped = 0;
      }
    } catch (error) {
      pending = batch.concat(pending);
      if (pending.length > MAX_PENDING) {
        dropped += pending.length - MAX_PENDING;
        pending = pending.slice(pending.length - MAX_PENDING);
      }
      report.failed(error, "its lines are kept and retried with the next one");
    }
  };

  return {
    append(text) {
      pending.push(text);
      const run = queue.then(flush);
      // The caller gets the failure (the bus reports it); the chain itself must keep going for the next line.
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
