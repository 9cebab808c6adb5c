/**
 * The process groups nax spawned itself in this process, and the only code
 * that sends them signals (traps 18 and 21, docs/traps.md). A pid enters the set when
 * our spawn helper starts a child detached (so its pid is its pgid) and leaves
 * when the child is reaped. Nothing read from a file can ever get in here.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessGroups {
  add(pgid: number): void;
  delete(pgid: number): void;
  has(pgid: number): boolean;
  list(): number[];
  /** Signals one group we own. Returns false (and sends nothing) for a pid we did not spawn or pid <= 1. */
  signal(pgid: number, signal: NodeJS.Signals): boolean;
  /** Signals every live group we own. */
  signalAll(signal: NodeJS.Signals): number;
  /**
   * SIGKILLs every group we own and every live descendant of its leader (found
   * before the leader dies, start time checked): the crash handler's exit-now
   * path, where the spawn helper's own grace-then-kill will never run. A
   * grandchild in a group of its own (the agent's Bash tool) is not reached by
   * the group kill alone.
   */
  killAll(): number;
}

export function createProcessGroups(): ProcessGroups {
  const groups = new Set<number>();
  const signal = (pgid: number, sig: NodeJS.Signals): boolean => {
    if (!Number.isInteger(pgid) || pgid <= 1 || !groups.has(pgid)) return false;
    try {
      process.kill(-pgid, sig);
      return true;
    } catch (error) {
      // ESRCH: the group is already gone, which is what we wanted.
      if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
      throw error;
    }
  };
  return {
    add: (pgid) => {
      if (Number.isInteger(pgid) && pgid > 1) groups.add(pgid);
    },
    delete: (pgid) => groups.delete(pgid),
    has: (pgid) => groups.has(pgid),
    list: () => [...groups],
    signal,
    signalAll(sig) {
      let count = 0;
      for (const pgid of groups) if (signal(pgid, sig)) count++;
      return count;
    },
    killAll() {
      let count = 0;
      for (const pgid of groups) {
        const tree = listDescendants(pgid);
        if (signal(pgid, "SIGKILL")) count++;
        for (const identity of tree) killIfSame(identity);
      }
      return count;
    },
  };
}

export interface ProcessIdentity {
  pid: number;
  startTime: string;
}

function readStat(pid: number): { ppid: number; startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is wrapped in parentheses and may contain spaces.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(rest[1]), startTime: rest[19] ?? "" };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ESRCH") {
      return undefined;
    }
    throw error;
  }
}

/**
 * Every live descendant of `rootPid`, with its start time so that a later kill
 * can check the pid was not reused. Descendants may sit in their own process
 * groups (the Claude CLI's Bash tool does this), so a group kill alone misses
 * them. Linux only; elsewhere returns [].
 */
export function listDescendants(rootPid: number): ProcessIdentity[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const children = new Map<number, ProcessIdentity[]>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = readStat(pid);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push({ pid, startTime: stat.startTime });
    children.set(stat.ppid, list);
  }
  const result: ProcessIdentity[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const child of children.get(parent) ?? []) {
      result.push(child);
      queue.push(child.pid);
    }
  }
  return result;
}

/** SIGKILLs a process found earlier by `listDescendants`, only if it is still that same process. */
export function killIfSame(identity: ProcessIdentity): boolean {
  if (identity.pid <= 1) return false;
  const now = readStat(identity.pid);
  if (!now || now.startTime !== identity.startTime) return false;
  try {
    process.kill(identity.pid, "SIGKILL");
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/** Liveness of a pid: EPERM means it exists but belongs to someone else, so it is alive. */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
