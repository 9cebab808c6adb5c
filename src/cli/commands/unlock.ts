/**
 * `nax unlock [-d dir] [--force]`: shows who holds `nax.lock` and removes it
 * when it is stale (dead pid or unparseable, by the one rule in
 * `inspectLock`). A live holder, or one on another host, needs `--force`
 * (exit 3 without it). Nothing is ever signalled: this only deletes a file.
 */
import { resolve } from "node:path";
import { describeHolder, inspectLock, type LockState } from "../../execution/lock";
import { projectPaths } from "../../state/paths";
import { requireWorkdir } from "../../state/workdir";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

export interface UnlockOptions {
  dir?: string;
  force?: boolean;
}

/** Removes the lock only if it still holds what was judged, so a run that took it meanwhile keeps it. */
async function removeIfUnchanged(io: CliIo, path: string, judged: string | undefined): Promise<boolean> {
  const now = await io.sys.fs.readText(path);
  if (now === undefined) return true;
  if (now !== judged) return false;
  await io.sys.fs.remove(path);
  return true;
}

function holderText(lock: LockState): string {
  switch (lock.state) {
    case "absent":
      return "nobody";
    case "stale":
      return lock.reason === "unparseable" ? "an unreadable lock file" : describeHolder(lock.holder);
    case "live":
    case "other-host":
      return describeHolder(lock.holder);
    default: {
      const unreachable: never = lock;
      throw new Error(`unknown lock state ${JSON.stringify(unreachable)}`);
    }
  }
}

export async function unlockCommand(io: CliIo, options: UnlockOptions): Promise<number> {
  const workdir = await requireWorkdir(io.sys.fs, resolve(io.cwd, options.dir ?? "."));
  const path = projectPaths(workdir).lock;
  const raw = await io.sys.fs.readText(path);
  const lock = await inspectLock(io.sys, path);
  if (lock.state === "absent") {
    io.out(`no lock at ${path}; nothing to do`);
    return 0;
  }
  io.out(`${path}: held by ${holderText(lock)}`);
  if ((lock.state === "live" || lock.state === "other-host") && !options.force) {
    const why =
      lock.state === "live"
        ? `process ${lock.holder.pid} is still running; let it finish or stop it yourself`
        : `it belongs to host ${lock.holder.hostname}, whose processes cannot be checked from here`;
    io.err(`nax: refusing to remove the lock: ${why}; --force removes it anyway`);
    return 3;
  }
  if (!(await removeIfUnchanged(io, path, raw))) {
    io.err(`nax: ${path} changed while it was being checked (a new run took it?); left in place`);
    return 3;
  }
  const what =
    lock.state === "stale"
      ? lock.reason === "unparseable"
        ? "removed the unreadable (stale) lock"
        : `removed the stale lock (process ${lock.holder.pid} is not running)`
      : "removed the lock because of --force";
  io.out(what);
  return 0;
}

export const registerUnlock: RegisterCommand = (program, ctx) => {
  program
    .command("unlock")
    .description("remove a stale nax.lock (a live one only with --force)")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("--force", "remove the lock even if its run looks alive or is on another host")
    .action(async (options: UnlockOptions) => {
      ctx.setExit(await unlockCommand(ctx.io, options));
    });
};
