/**
 * `nax status [-f feature] [--json]`: the live run (or a crash warning with
 * its fix), then every feature's progress; `-f` adds that feature's stories
 * and its last run; `-f <feature> --story <id>` shows that story's evidence
 * ledger. Works before anything has run.
 */
import { resolve } from "node:path";
import { describePending, readPendingCommands } from "../../control/pending";
import { NaxError } from "../../errors";
import { createGitRunner } from "../../git/run-git";
import { describeKeptWork, readKeptWork } from "../../isolation/kept-work";
import { readStoryLedger } from "../../readers/ledger";
import { readProjectStatus } from "../../readers/project-status";
import { featurePaths } from "../../state/paths";
import { requireWorkdir } from "../../state/workdir";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";
import { renderLedger } from "../render/ledger-view";
import { createPaint } from "../render/paint";
import { renderProjectStatus } from "../render/status-view";

export interface StatusOptions {
  dir?: string;
  feature?: string;
  json?: boolean;
  /** With `-f`: show this story's evidence ledger instead of the overview. */
  story?: string;
}

async function ledgerCommand(io: CliIo, workdir: string, options: StatusOptions & { story: string }): Promise<number> {
  if (!options.feature) {
    throw new NaxError("USAGE", "nax status --story needs the feature too: nax status -f <feature> --story <id>");
  }
  const ledger = await readStoryLedger(io.sys.fs, workdir, options.feature, options.story);
  if (options.json) io.out(JSON.stringify(ledger, null, 2));
  else io.out(renderLedger(ledger, createPaint({ env: io.sys.env, isTTY: io.isTTY })).join("\n"));
  return 0;
}

export async function statusCommand(io: CliIo, options: StatusOptions): Promise<number> {
  const workdir = await requireWorkdir(io.sys.fs, resolve(io.cwd, options.dir ?? "."));
  if (options.story !== undefined) return ledgerCommand(io, workdir, { ...options, story: options.story });
  const report = await readProjectStatus(io.sys, workdir, { feature: options.feature });
  const feature = report.feature?.name;
  // The attempt refs and branches isolation kept: git is the only place they live.
  const git = createGitRunner({ spawn: io.sys.spawn, env: io.sys.env });
  const keptWork = feature === undefined ? undefined : await readKeptWork(git, workdir, feature);
  // Control commands belong to the running feature (or the one asked about): those no run has acknowledged yet.
  const commandsOf = report.run?.feature ?? feature;
  const pending =
    commandsOf === undefined ? [] : await readPendingCommands(io.sys.fs, featurePaths(workdir, commandsOf).runsDir);
  if (options.json) {
    const extra = { ...(keptWork ? { keptWork } : {}), pendingCommands: pending };
    io.out(JSON.stringify({ ...report, ...extra }, null, 2));
    return 0;
  }
  const kept = keptWork ? describeKeptWork(keptWork) : [];
  io.out(renderProjectStatus(report, createPaint({ env: io.sys.env, isTTY: io.isTTY })).join("\n"));
  if (pending.length > 0) io.out(`\n${describePending(pending).join("\n")}`);
  if (kept.length > 0) io.out(`\n${kept.join("\n")}`);
  return 0;
}

export const registerStatus: RegisterCommand = (program, ctx) => {
  program
    .command("status")
    .description("the live run and every feature's progress")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("-f, --feature <name>", "show this feature's stories and its last run")
    .option("--story <id>", "with -f: the story's evidence ledger (gates, sessions, guards, commits)")
    .option("--json", "machine-readable output")
    .action(async (options: StatusOptions) => {
      ctx.setExit(await statusCommand(ctx.io, options));
    });
};
