/**
 * `nax run`: parses the flags into a run request (config overrides only for
 * flags the user actually passed: no CLI default may override the config,
 * trap 14), chooses the console view, and returns the run's exit code.
 */
import { EventEmitter } from "node:events";
import { resolve } from "node:path";
import { type RunView, runFeature } from "../../app";
import { NaxError } from "../../errors";
import { createInterjection, type ReporterMode } from "../../subscribers/reporter";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";
import { createPaint } from "../render/paint";

export interface RunFlags {
  feature?: string;
  dir?: string;
  dryRun?: boolean;
  maxIterations?: string;
  costLimit?: string;
  parallel?: string;
  force?: boolean;
  allowDirty?: boolean;
  skipPrecheck?: boolean;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

function positiveNumber(flag: string, raw: string, integer: boolean): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new NaxError("USAGE", `${flag} must be a positive ${integer ? "whole number" : "number"}, got "${raw}"`);
  }
  return value;
}

/** Config values for the flags that were given, and only those. */
export function cliOverrides(flags: RunFlags): Record<string, unknown> {
  const execution: Record<string, unknown> = {};
  if (flags.maxIterations !== undefined) {
    execution.maxIterations = positiveNumber("--max-iterations", flags.maxIterations, true);
  }
  if (flags.costLimit !== undefined) execution.costLimit = positiveNumber("--cost-limit", flags.costLimit, false);
  if (flags.parallel !== undefined) execution.parallel = positiveNumber("--parallel", flags.parallel, true);
  return Object.keys(execution).length > 0 ? { execution } : {};
}

function viewFor(io: CliIo, flags: RunFlags): RunView {
  const mode: ReporterMode = flags.json ? "json" : flags.quiet ? "quiet" : "human";
  return {
    write: io.write ?? ((text) => io.out(text)),
    isTTY: io.isTTY && !flags.json,
    mode,
    verbose: Boolean(flags.verbose),
    paint: createPaint({ env: io.sys.env, isTTY: io.isTTY }),
    ...(io.columns ? { columns: io.columns } : {}),
    interjection: createInterjection(),
    ...(io.stdin && !flags.json ? { terminal: io.stdin } : {}),
  };
}

export async function runCommand(io: CliIo, flags: RunFlags): Promise<number> {
  const overrides = cliOverrides(flags);
  // In-process callers (tests) get a private emitter: a run must never exit the process hosting it.
  const host = io.process ?? { target: new EventEmitter(), exit: () => undefined };
  const view = viewFor(io, flags);
  const report = await runFeature(
    {
      dir: resolve(io.cwd, flags.dir ?? "."),
      ...(flags.feature === undefined ? {} : { feature: flags.feature }),
      dryRun: Boolean(flags.dryRun),
      force: Boolean(flags.force),
      allowDirty: Boolean(flags.allowDirty),
      skipPrecheck: Boolean(flags.skipPrecheck),
      cliOverrides: overrides,
    },
    {
      sys: io.sys,
      process: host.target,
      exit: host.exit,
      // The interrupt message and other warnings go on a clean line, not after the live progress line.
      warn: (message) => {
        view.interjection?.clearLive();
        io.err(message);
      },
      view,
    },
  );
  return report.exitCode;
}

export const registerRun: RegisterCommand = (program, ctx) => {
  program
    .command("run")
    .description("run the feature's stories through the coding agent until every story passes or a limit stops it")
    .option("-f, --feature <name>", "the feature to run (required when there is more than one)")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("--dry-run", "print the routing and the plan; write nothing")
    .option("--max-iterations <n>", "stop after this many story attempts (default: execution.maxIterations)")
    .option("--cost-limit <usd>", "stop once this much was spent (default: execution.costLimit)")
    .option(
      "--parallel <n>",
      "run up to n independent stories at once, each in its own worktree (default: execution.parallel)",
    )
    .option("--force", "replace a lock held by a run on another host")
    .option("--allow-dirty", "start even with uncommitted changes outside nax/ (they go into the first story's commit)")
    .option("--skip-precheck", "do not run the quality commands on the base commit before the first story")
    .option(
      "--json",
      "print every event as one JSON line (the event envelope); with --dry-run, the plan as one JSON document",
    )
    .option("--verbose", "print every event")
    .option("--quiet", "print only warnings, errors and the summary")
    .action(async (flags: RunFlags) => {
      ctx.setExit(await runCommand(ctx.io, flags));
    });
};
