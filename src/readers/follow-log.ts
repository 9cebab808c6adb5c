/**
 * `nax logs --follow`: streams a run's event log as it grows, until a
 * `run:completed`/`run:crashed` line arrives (the run ended) or the process
 * behind the run is gone without one. Polls with the clock's cancellable
 * sleep (no busy loop, no timer left behind); the file may not exist yet.
 * The poll interval and the liveness check are injected.
 */
import type { EventLine } from "../state/event-line";
import type { Clock } from "../system/clock";
import type { Fs } from "../system/fs";
import { parseEventLog, TERMINAL_EVENT_TYPES } from "./event-log";

export const DEFAULT_FOLLOW_POLL_MS = 200;
/** "Gone" must be seen on this many polls in a row: a run that is just starting has a log before its status file. */
export const DEAD_CONFIRMATIONS = 3;

/** `alive: undefined` means nothing says either way yet (the run has not written anything). */
export interface FollowLiveness {
  alive: boolean | undefined;
  reason?: string;
}

export type FollowEnd =
  | { kind: "terminal"; line: EventLine }
  | { kind: "process-gone"; reason: string }
  | { kind: "aborted" };

export interface FollowOptions {
  fs: Pick<Fs, "readTextFrom" | "stat">;
  clock: Pick<Clock, "sleep">;
  path: string;
  pollMs: number;
  onLine(line: EventLine): void;
  checkAlive(): Promise<FollowLiveness>;
  signal?: AbortSignal;
  deadConfirmations?: number;
}

export async function followLog(options: FollowOptions): Promise<FollowEnd> {
  // Bytes of the file already delivered, always at a line boundary: only what was appended is read again.
  let consumed = 0;
  let deadSeen = 0;
  let terminal: EventLine | undefined;

  const readNew = async (): Promise<void> => {
    const stat = await options.fs.stat(options.path);
    if (!stat || stat.size === consumed) return;
    // A shorter file was replaced, not appended to: start over.
    if (stat.size < consumed) consumed = 0;
    const read = await options.fs.readTextFrom(options.path, consumed);
    if (!read) return;
    const end = read.text.lastIndexOf("\n");
    if (end < 0) return;
    const complete = read.text.slice(0, end + 1);
    consumed += Buffer.byteLength(complete, "utf8");
    for (const line of parseEventLog(complete).lines) {
      if (terminal) return;
      options.onLine(line);
      if (TERMINAL_EVENT_TYPES.has(line.type)) terminal = line;
    }
  };

  const confirmations = options.deadConfirmations ?? DEAD_CONFIRMATIONS;
  for (;;) {
    if (options.signal?.aborted) return { kind: "aborted" };
    await readNew();
    if (terminal) return { kind: "terminal", line: terminal };
    const liveness = await options.checkAlive();
    deadSeen = liveness.alive === false ? deadSeen + 1 : 0;
    if (deadSeen >= confirmations) {
      // The last lines may have landed between the read and the check.
      await readNew();
      if (terminal) return { kind: "terminal", line: terminal };
      return { kind: "process-gone", reason: liveness.reason ?? "the run's process is gone" };
    }
    await options.clock.sleep(options.pollMs, options.signal);
  }
}
