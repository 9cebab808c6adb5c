/**
 * `nax pause [--now]`, `nax resume`, `nax skip <story>`, `nax abort`: each
 * appends one command, with a unique id, to the running feature's command
 * file (src/control/command.ts) and returns; the run applies it and says so
 * in its log (`command:applied`). The live run is the lock's holder: no live
 * run, nothing to control. `--id` lets a script that retries send the same
 * command twice and have it applied once. Nothing is ever signalled.
 */
import { resolve } from "node:path";
import { type ControlCommand, type ControlKind, controlPaths, describeCommand } from "../../control/command";
import { appendCommand } from "../../control/command-file";
import { NaxError } from "../../errors";
import { loadPrd } from "../../prd/load";
import { readLockSummary } from "../../readers/project-status";
import { featurePaths } from "../../state/paths";
import { requireWorkdir } from "../../state/workdir";
import { didYouMean } from "../../utils/did-you-mean";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

export interface ControlOptions {
  dir?: string;
  feature?: string;
  now?: boolean;
  id?: string;
}

/** The feature and run id of the run holding the lock, checked against `-f`. */
async function liveRun(io: CliIo, workdir: string, verb: string, feature?: string) {
  const lock = await readLockSummary(io.sys, workdir);
  const live = lock.state === "live" || lock.state === "other-host";
  if (!live || lock.feature === undefined || lock.runId === undefined) {
    const why =
      lock.state === "stale" ? "the last run is not running any more (its lock is stale)" : "no run is running";
    throw new NaxError("RUN_NOT_FOUND", `nax ${verb}: ${why} in ${workdir}; start one with \`nax run -f <feature>\``);
  }
  if (feature !== undefined && feature !== lock.feature) {
    throw new NaxError(
      "RUN_NOT_FOUND",
      `nax ${verb}: the running run is of feature "${lock.feature}", not "${feature}"; drop -f or pass -f ${lock.feature}`,
    );
  }
  return { feature: lock.feature, runId: lock.runId };
}

async function checkStory(io: CliIo, prdPath: string, storyId: string): Promise<void> {
  const ids = (await loadPrd(io.sys.fs, prdPath)).userStories.map((s) => s.id);
  if (!ids.includes(storyId)) {
    throw new NaxError("USAGE", `nax skip: no story ${storyId} in ${prdPath}${didYouMean(storyId, ids)}`);
  }
}

export async function controlCommand(
  io: CliIo,
  kind: ControlKind,
  options: ControlOptions,
  storyId?: string,
): Promise<number> {
  const workdir = await requireWorkdir(io.sys.fs, resolve(io.cwd, options.dir ?? "."));
  const run = await liveRun(io, workdir, kind, options.feature);
  const paths = featurePaths(workdir, run.feature);
  if (storyId !== undefined) await checkStory(io, paths.prd, storyId);
  const command: ControlCommand = {
    id: options.id ?? `cmd-${io.sys.uuid()}`,
    kind,
    at: io.sys.clock.iso(),
    runId: run.runId,
    ...(storyId === undefined ? {} : { storyId }),
    ...(options.now ? { now: true } : {}),
  };
  await appendCommand(io.sys.fs, controlPaths(paths.runsDir), command);
  const when =
    kind === "abort" || command.now ? "the run acts on it at once" : "the run applies it at its next safe point";
  io.out(
    `${describeCommand(command)} sent to ${run.runId} (command ${command.id}): ${when}; \`nax status\` lists it until then`,
  );
  return 0;
}

export const registerControl: RegisterCommand = (program, ctx) => {
  const common = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .option("-d, --dir <path>", "project folder (default: found from the current folder)")
      .option("-f, --feature <name>", "the feature whose run this is meant for (refused if another one is running)")
      .option("--id <id>", "the command's id (default: a new one); the same id sent twice is applied once");
  common("pause", "no new agent session starts on any lane until `nax resume`")
    .option("--now", "stop the running sessions at once too (their stories go back to pending)")
    .action(async (options: ControlOptions) => ctx.setExit(await controlCommand(ctx.io, "pause", options)));
  common("resume", "a paused run goes on").action(async (options: ControlOptions) =>
    ctx.setExit(await controlCommand(ctx.io, "resume", options)),
  );
  common("skip", "the story is skipped at the run's next safe point (a running attempt ends first)")
    .argument("<story>", "story id, e.g. US-002")
    .action(async (story: string, options: ControlOptions) =>
      ctx.setExit(await controlCommand(ctx.io, "skip", options, story)),
    );
  common("abort", "stop the run now, as Ctrl-C does (interrupted work is kept; `nax run` resumes)").action(
    async (options: ControlOptions) => ctx.setExit(await controlCommand(ctx.io, "abort", options)),
  );
};
