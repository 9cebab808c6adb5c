/**
 * `nax migrate [-d dir] [--global] [--dry-run]`: converts a nax reference
 * (0.22.x) project's config.json, hooks.json and prd.json files to nax's
 * formats in place, with a backup of each, printing every change. Refused
 * while a run holds the lock (it would be rewriting that run's PRD). Exit 2
 * when a file is still invalid after conversion (that file is left as it was).
 */
import { relative, resolve } from "node:path";
import { NaxError } from "../../errors";
import { describeChange } from "../../migrate/changes";
import { type FileMigration, runMigrate } from "../../migrate/run-migrate";
import { describeHolder, inspectLock } from "../../state/lock-file";
import { projectPaths } from "../../state/paths";
import { requireWorkdir } from "../../state/workdir";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

export interface MigrateOptions {
  dir?: string;
  global?: boolean;
  dryRun?: boolean;
}

function describe(result: FileMigration, shown: string, dryRun: boolean): string[] {
  switch (result.outcome) {
    case "missing":
      return [`${shown}: not present`];
    case "unchanged":
      return [`${shown}: already in nax's format`];
    case "converted": {
      const head = dryRun
        ? `${shown}: would change ${result.changes.length} thing(s) (dry run: nothing written)`
        : `${shown}: converted (backup: ${result.backup})`;
      return [head, ...result.changes.map((c) => `  ${describeChange(c)}`)];
    }
    case "invalid":
      return [
        `${shown}: left as it was: still invalid after conversion; fix these by hand, then rerun`,
        ...result.changes.map((c) => `  (would have) ${describeChange(c)}`),
        ...result.problems.map((p) => `  ${p}`),
      ];
    default: {
      const unreachable: never = result.outcome;
      return [String(unreachable)];
    }
  }
}

export async function migrateCommand(io: CliIo, options: MigrateOptions): Promise<number> {
  const workdir = await requireWorkdir(io.sys.fs, resolve(io.cwd, options.dir ?? "."));
  const lock = await inspectLock(io.sys, projectPaths(workdir).lock);
  if (lock.state === "live") {
    throw new NaxError("LOCK_HELD", `a nax run holds the lock (${describeHolder(lock.holder)}); migrate after it ends`);
  }
  const dryRun = options.dryRun ?? false;
  const results = await runMigrate(io.sys, workdir, { global: options.global, dryRun });
  for (const result of results) {
    const shown = result.path.startsWith(workdir) ? relative(workdir, result.path) : result.path;
    for (const line of describe(result, shown, dryRun)) io.out(line);
  }
  return results.some((r) => r.outcome === "invalid") ? 2 : 0;
}

export const registerMigrate: RegisterCommand = (program, ctx) => {
  program
    .command("migrate")
    .description("convert a nax 0.22 project's config.json, hooks.json and prd.json files to nax's formats")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("--global", "also convert NAX_HOME's config.json and hooks.json (~/.nax)")
    .option("--dry-run", "print the changes; write nothing")
    .action(async (options: MigrateOptions) => {
      ctx.setExit(await migrateCommand(ctx.io, options));
    });
};
