/**
 * `nax logs [-f feature] [--run id] [--follow] [--story id] [--level l] [--json]`:
 * one run's event log. `--run` finds the run through the registry from any
 * directory (exact id or unique prefix); without it, the feature's latest
 * run in this project. `--follow` streams until the run ends (exit 0) or its
 * process is gone without a final event (exit 1).
 */
import { join, resolve } from "node:path";
import { z } from "zod";
import { NaxError } from "../../errors";
import type { LogLevel } from "../../events/events";
import { readEventLog } from "../../readers/event-log";
import { latestFeatureRun, pickFeature } from "../../readers/features";
import { DEFAULT_FOLLOW_POLL_MS, followLog } from "../../readers/follow-log";
import {
  checkRunLiveness,
  filterEventLines,
  findRegisteredRun,
  missingStoryNote,
  parseLogLevel,
} from "../../readers/logs";
import { okValue, readJsonAs } from "../../readers/read-json";
import { type RunRef, readRunOutcome, runLogPath } from "../../readers/run-outcome";
import type { EventLine } from "../../state/event-line";
import { requireWorkdir } from "../../state/workdir";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";
import { renderLogLine, renderRunSummary } from "../render/logs-view";
import { createPaint } from "../render/paint";

export interface LogsOptions {
  dir?: string;
  feature?: string;
  run?: string;
  follow?: boolean;
  story?: string;
  level?: string;
  json?: boolean;
}

/** `NAX_LOGS_POLL_MS` shortens the follow poll (tests, slow disks); the default suits a person watching. */
function pollMs(io: CliIo): number {
  const n = Number(io.sys.env.NAX_LOGS_POLL_MS);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_FOLLOW_POLL_MS;
}

type Target = RunRef & { feature: string };

async function findTarget(io: CliIo, options: LogsOptions): Promise<Target | string> {
  if (options.run !== undefined) return (await findRegisteredRun(io.sys, options.run)).meta;
  const workdir = await requireWorkdir(io.sys.fs, resolve(io.cwd, options.dir ?? "."));
  const feature = await pickFeature(io.sys.fs, workdir, options.feature);
  const ref = await latestFeatureRun(io.sys.fs, workdir, feature);
  return ref ? { ...ref, feature } : `feature ${feature} has not run yet; start it with \`nax run -f ${feature}\``;
}

/** The feature's story ids from its prd.json, or undefined when it cannot be read (a moved project, a broken file). */
async function storyIdsOf(io: CliIo, target: Target): Promise<string[] | undefined> {
  const read = await readJsonAs(
    io.sys.fs,
    join(target.workdir, "nax", "features", target.feature, "prd.json"),
    StoryIdsSchema,
  );
  return okValue(read)?.userStories.map((s) => s.id);
}

const StoryIdsSchema = z.looseObject({ userStories: z.array(z.looseObject({ id: z.string() })) });

export async function logsCommand(io: CliIo, options: LogsOptions): Promise<number> {
  const minLevel: LogLevel | undefined =
    options.level !== undefined ? parseLogLevel(options.level) : options.json ? undefined : "info";
  const target = await findTarget(io, options);
  if (typeof target === "string") {
    io.out(target);
    return 0;
  }
  const paint = createPaint({ env: io.sys.env, isTTY: io.isTTY });
  const filter = { storyId: options.story, minLevel };
  const print = (line: EventLine) => io.out(options.json ? JSON.stringify(line) : renderLogLine(line, paint));
  const summarize = async () => {
    if (!options.json) io.out(renderRunSummary(target.runId, await readRunOutcome(io.sys, target), paint));
  };
  const path = runLogPath(target);

  if (options.follow && options.story !== undefined) {
    const ids = await storyIdsOf(io, target);
    const note = missingStoryNote(options.story, target.runId, [], { name: target.feature, storyIds: ids });
    if (note?.kind === "unknown-story") throw new NaxError("USAGE", note.message);
  }
  if (options.follow) {
    // Nobody reads any more (`| head`): stop following, quietly and with 0, like git.
    const readerGone = new AbortController();
    const end = await followLog({
      fs: io.sys.fs,
      clock: io.sys.clock,
      path,
      pollMs: pollMs(io),
      onLine: (line) => filterEventLines([line], filter).forEach(print),
      checkAlive: () => {
        if (io.outClosed?.()) readerGone.abort();
        return checkRunLiveness(io.sys, target);
      },
      signal: readerGone.signal,
    });
    if (end.kind === "aborted") return 0;
    if (end.kind === "process-gone") {
      io.err(`nax: run ${target.runId} stopped without a final event: ${end.reason}`);
      return 1;
    }
    await summarize();
    return 0;
  }

  const log = await readEventLog(io.sys.fs, path);
  if (!log) {
    io.err(`nax: ${path}: no event log for run ${target.runId} (it wrote no events, or the file was removed)`);
    return 1;
  }
  if (options.story !== undefined) {
    const feature = { name: target.feature, storyIds: await storyIdsOf(io, target) };
    const note = missingStoryNote(options.story, target.runId, log.lines, feature);
    if (note?.kind === "unknown-story") throw new NaxError("USAGE", note.message);
    if (note) io.err(`nax: ${note.message}`);
  }
  filterEventLines(log.lines, filter).forEach(print);
  if (log.invalid > 0) io.err(`nax: ${log.invalid} unreadable lines in ${path} skipped`);
  await summarize();
  return 0;
}

export const registerLogs: RegisterCommand = (program, ctx) => {
  program
    .command("logs")
    .description("a run's event log (the feature's latest run, or --run <id> from any folder)")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("-f, --feature <name>", "the feature (default: the live run's, or the only one)")
    .option("--run <id>", "a run id or a unique prefix of one, looked up in the run registry")
    .option("--follow", "keep printing new events until the run ends")
    .option("--story <id>", "only this story's events")
    .option("--level <level>", "minimum level: debug, info (default), warn, error")
    .option("--json", "the raw event lines (all levels unless --level is given)")
    .action(async (options: LogsOptions) => {
      ctx.setExit(await logsCommand(ctx.io, options));
    });
};
