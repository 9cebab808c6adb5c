/**
 * The lock file `nax.lock` = `{pid, hostname, runId, feature, startedAt}`, and
 * the one stale rule every reader and the run share: a lock is stale when it
 * is unreadable (trap 6), or on this host with a pid that is not alive (EPERM
 * counts as alive). A lock from another host is never judged: it needs
 * `--force`. A lock with a readable live pid is never stale, whatever its
 * other fields: the nax reference wrote `{pid, timestamp}`, and replacing such
 * a lock would let two runs work in one tree.
 */
import { z } from "zod";
import type { Sys } from "../system/sys";

export const LockFileSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  runId: z.string(),
  feature: z.string(),
  startedAt: z.string(),
});
export type LockFile = z.infer<typeof LockFileSchema>;

export type LockState =
  | { state: "absent" }
  | { state: "live"; holder: LockFile }
  | { state: "stale"; reason: "dead-pid"; holder: LockFile }
  | { state: "stale"; reason: "unparseable"; raw: string }
  | { state: "other-host"; holder: LockFile };

const NOT_RECORDED = "(not recorded)";

/** Any lock with a pid: nax's own, or another writer's (the reference's `{pid, timestamp}`), on this host unless it says otherwise. */
const ForeignLockSchema = z.looseObject({
  pid: z.number().int().positive(),
  hostname: z.string().optional(),
  runId: z.string().optional(),
  feature: z.string().optional(),
  startedAt: z.string().optional(),
  timestamp: z.union([z.string(), z.number()]).optional(),
});

function startedOf(timestamp: string | number | undefined): string {
  if (timestamp === undefined) return NOT_RECORDED;
  const ms = typeof timestamp === "number" ? timestamp : Date.parse(timestamp);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(timestamp);
}

export function parseLock(raw: string, thisHost = NOT_RECORDED): LockFile | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  const strict = LockFileSchema.safeParse(json);
  if (strict.success) return strict.data;
  const foreign = ForeignLockSchema.safeParse(json);
  if (!foreign.success) return undefined;
  const lock = foreign.data;
  return {
    pid: lock.pid,
    hostname: lock.hostname ?? thisHost,
    runId: lock.runId ?? NOT_RECORDED,
    feature: lock.feature ?? NOT_RECORDED,
    startedAt: lock.startedAt ?? startedOf(lock.timestamp),
  };
}

export async function inspectLock(sys: Pick<Sys, "fs" | "hostname" | "isPidAlive">, path: string): Promise<LockState> {
  return judgeLock(sys, await sys.fs.readText(path));
}

/** The stale rule applied to a lock file's content (undefined: no file). */
export function judgeLock(sys: Pick<Sys, "hostname" | "isPidAlive">, raw: string | undefined): LockState {
  if (raw === undefined) return { state: "absent" };
  const holder = parseLock(raw, sys.hostname);
  if (!holder) return { state: "stale", reason: "unparseable", raw };
  if (holder.hostname !== sys.hostname) return { state: "other-host", holder };
  return sys.isPidAlive(holder.pid) ? { state: "live", holder } : { state: "stale", reason: "dead-pid", holder };
}

export function describeHolder(holder: LockFile): string {
  return `pid ${holder.pid} on ${holder.hostname}, feature "${holder.feature}", run ${holder.runId}, started ${holder.startedAt}`;
}
