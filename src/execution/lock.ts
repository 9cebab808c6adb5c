/**
 * Taking and releasing the run lock `nax.lock`. The stale rule lives in
 * `state/lock-file.ts`. Acquisition uses exclusive create, so two runs cannot
 * both win.
 */
import { NaxError } from "../errors";
import { describeHolder, judgeLock, type LockFile, parseLock } from "../state/lock-file";

// Judging a lock is state/'s (readers share it); re-exported for the run's callers.
export { describeHolder, inspectLock, judgeLock, type LockState, parseLock } from "../state/lock-file";

import type { Sys } from "../system/sys";

export interface HeldLock {
  readonly path: string;
  readonly record: LockFile;
  /** Removes the lock if it is still ours; safe to call twice. */
  release(): Promise<void>;
}

export interface AcquireOptions {
  path: string;
  runId: string;
  feature: string;
  startedAt: string;
  /** Replace a lock held on another host (its liveness cannot be checked from here). */
  force?: boolean;
  /** Told when a stale lock is replaced. */
  onStale?: (message: string) => void;
}

export async function acquireLock(sys: Sys, options: AcquireOptions): Promise<HeldLock> {
  const record: LockFile = {
    pid: sys.pid,
    hostname: sys.hostname,
    runId: options.runId,
    feature: options.feature,
    startedAt: options.startedAt,
  };
  const content = `${JSON.stringify(record, null, 2)}\n`;
  for (let tries = 0; tries < 3; tries++) {
    if (await sys.fs.createExclusive(options.path, content)) return heldLock(sys, options.path, record);
    const raw = await sys.fs.readText(options.path);
    const current = judgeLock(sys, raw);
    switch (current.state) {
      case "absent":
        continue;
      case "live":
        throw new NaxError(
          "LOCK_HELD",
          `${options.path}: another nax run holds the lock (${describeHolder(current.holder)})`,
          {
            path: options.path,
            holder: current.holder,
          },
        );
      case "other-host":
        if (!options.force) {
          throw new NaxError(
            "LOCK_HELD",
            `${options.path}: locked by a run on another host (${describeHolder(current.holder)}); if it is no longer running, rerun with --force`,
            { path: options.path, holder: current.holder },
          );
        }
        options.onStale?.(`replacing the lock of another host (${describeHolder(current.holder)}) because of --force`);
        break;
      case "stale":
        options.onStale?.(
          current.reason === "unparseable"
            ? `${options.path}: lock file is unreadable; treating it as stale and replacing it`
            : `${options.path}: stale lock from a run that is no longer alive (${describeHolder(current.holder)}); replacing it`,
        );
        break;
      default: {
        const unreachable: never = current;
        throw new Error(`unknown lock state ${JSON.stringify(unreachable)}`);
      }
    }
    // Remove only the file we judged: a rival run may have replaced the stale lock with its live one meanwhile.
    if ((await sys.fs.readText(options.path)) === raw) await sys.fs.remove(options.path);
  }
  throw new NaxError("LOCK_HELD", `${options.path}: could not take the lock; another run keeps taking it`, {
    path: options.path,
  });
}

function heldLock(sys: Sys, path: string, record: LockFile): HeldLock {
  let released = false;
  return {
    path,
    record,
    async release() {
      if (released) return;
      released = true;
      const raw = await sys.fs.readText(path);
      const current = raw === undefined ? undefined : parseLock(raw);
      if (current && current.pid === record.pid && current.runId === record.runId) await sys.fs.remove(path);
    },
  };
}
