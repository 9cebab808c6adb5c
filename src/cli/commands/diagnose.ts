/**
 * `nax diagnose [-f feature] [--json] [--verbose]`: the feature's latest run
 * classified from its evidence, a pattern with evidence and a fix per failed,
 * paused or blocked story, and numbered recommendations.
 */
import { resolve } from "node:path";
import { createGitRunner } from "../../git/run-git";
import { describeKeptWork, readKeptWork } from "../../isolation/kept-work";
import { readDiagnosis } from "../../readers/diagnose/read-diagnosis";
import { requireWorkdir } from "../../state/workdir";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";
import { renderDiagnosis } from "../render/diagnose-view";
import { createPaint } from "../render/paint";

export interface DiagnoseOptions {
  dir?: string;
  feature?: string;
  json?: boolean;
  verbose?: boolean;
}

export async function diagnoseCommand(io: CliIo, options: DiagnoseOptions): Promise<number> {
  const workdir = await requireWorkdir(io.sys.fs, resolve(io.cwd, options.dir ?? "."));
  const verbose = options.verbose ?? false;
  const report = await readDiagnosis(io.sys, workdir, { feature: options.feature, verbose });
  const feature = report.feature;
  // The attempt refs and branches isolation kept: git is the only place they live.
  const git = createGitRunner({ spawn: io.sys.spawn, env: io.sys.env });
  const keptWork = feature === undefined ? undefined : await readKeptWork(git, workdir, feature);
  if (options.json) {
    io.out(JSON.stringify(keptWork ? { ...report, keptWork } : report, null, 2));
    return 0;
  }
  const kept = keptWork ? describeKeptWork(keptWork) : [];
  io.out(renderDiagnosis(report, createPaint({ env: io.sys.env, isTTY: io.isTTY }), verbose).join("\n"));
  if (kept.length > 0) io.out(`\n${kept.join("\n")}`);
  return 0;
}

export const registerDiagnose: RegisterCommand = (program, ctx) => {
  program
    .command("diagnose")
    .description("why a feature's run failed, stalled or crashed, and what to do")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("-f, --feature <name>", "the feature (default: the live run's, or the only one)")
    .option("--json", "machine-readable report")
    .option("--verbose", "every prior failure and warning as evidence")
    .action(async (options: DiagnoseOptions) => {
      ctx.setExit(await diagnoseCommand(ctx.io, options));
    });
};
