/**
 * Test-side checks that processes a test spawned are really gone. A zombie
 * (killed, not yet reaped by whoever inherited it) counts as gone: it runs no
 * code and holds no pipe. Waiting polls with a deadline, never a fixed sleep.
 */
import { readdirSync, readFileSync } from "node:fs";

export function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Resolves true once every pid is gone, false if one is still running at the deadline. */
export async function waitUntilGone(pids: number[], deadlineMs = 5000): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (pids.every(isGone)) return true;
    if (Date.now() > until) return false;
    await Bun.sleep(20);
  }
}

/** Reads a pid a test's own child wrote to a file; waits for the file with a deadline. */
export async function readPidFile(path: string, deadlineMs = 5000): Promise<number> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      const text = readFileSync(path, "utf8").trim();
      if (/^\d+$/.test(text)) return Number(text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (Date.now() > until) throw new Error(`no pid in ${path} after ${deadlineMs} ms`);
    await Bun.sleep(20);
  }
}

/**
 * Live (non-zombie) pids whose environment holds exactly `entry` (`NAME=value`):
 * how a test finds every process of a session it started with a unique env
 * value, grandchildren included. Processes we may not read are skipped.
 */
export function pidsWithEnv(entry: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${name}/environ`, "utf8");
    } catch (error) {
      // Gone meanwhile, or someone else's process: neither can be ours.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EACCES" || code === "ESRCH" || code === "EPERM") continue;
      throw error;
    }
    if (environ.split("\0").includes(entry) && !isGone(Number(name))) found.push(Number(name));
  }
  return found;
}
