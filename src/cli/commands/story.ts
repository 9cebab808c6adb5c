/**
 * `nax story reset|skip|pass <id> [-f feature]`: change one story's state
 * so that diagnose's fixes are commands, not hand edits of prd.json. Each
 * takes the run lock for the length of its edit (a live run makes it refuse,
 * exit 3, and a run cannot start in between), loads and validates the PRD,
 * records the human decision in the story and saves atomically.
 */
import { resolve } from "node:path";
import { isNaxError, NaxError } from "../../errors";
import { acquireLock } from "../../execution/lock";
import { loadPrd, savePrd } from "../../prd/load";
import { applyStoryAction, type StoryAction } from "../../prd/story-actions";
import { pickFeature } from "../../readers/features";
import { featurePaths, projectPaths } from "../../state/paths";
import { requireWorkdir } from "../../state/workdir";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

interface StoryOptions {
  dir?: string;
  feature?: string;
  reason?: string;
  clearAttempts?: boolean;
}

function whoIsDeciding(io: CliIo): string {
  const user = io.sys.env.USER || io.sys.env.LOGNAME || "unknown user";
  return `${user}@${io.sys.hostname}`;
}

/** The run lock for the edit; a live run (or one on another host) refuses it, exit 3, with what to do. */
async function takeLock(io: CliIo, workdir: string, feature: string, id: string, request: StoryAction, at: string) {
  try {
    return await acquireLock(io.sys, {
      path: projectPaths(workdir).lock,
      runId: `story-${request.action}-${id}`,
      feature,
      startedAt: at,
      onStale: (message) => io.err(`nax: warning: ${message}`),
    });
  } catch (error) {
    // Converted: the same refusal, saying what was refused and when to retry.
    if (!isNaxError(error, "LOCK_HELD")) throw error;
    throw new NaxError(
      "LOCK_HELD",
      `refusing to ${request.action} ${id} while a run holds the lock: ${error.message}; retry when it has finished`,
      { cause: error },
    );
  }
}

export async function storyCommand(
  io: CliIo,
  id: string,
  request: StoryAction,
  options: StoryOptions,
): Promise<number> {
  const workdir = await requireWorkdir(io.sys.fs, resolve(io.cwd, options.dir ?? "."));
  const feature = await pickFeature(io.sys.fs, workdir, options.feature);
  const path = featurePaths(workdir, feature).prd;
  if (request.reason !== undefined && request.reason.trim() === "") {
    throw new NaxError("USAGE", `--reason is empty; say why ${id} is being changed`);
  }
  const at = io.sys.clock.iso();
  const lock = await takeLock(io, workdir, feature, id, request, at);
  try {
    const prd = await loadPrd(io.sys.fs, path);
    const story = prd.userStories.find((s) => s.id === id);
    if (!story) {
      const ids = prd.userStories.map((s) => s.id);
      const listed = ids.length <= 10 ? ids.join(", ") : `${ids.slice(0, 10).join(", ")} and ${ids.length - 10} more`;
      throw new NaxError("USAGE", `${path}: no story "${id}" in feature ${feature} (its stories: ${listed || "none"})`);
    }
    const result = applyStoryAction(story, request, { by: whoIsDeciding(io), at });
    if (result.kind === "unchanged") {
      io.out(result.why);
      return 0;
    }
    const next = { ...prd, userStories: prd.userStories.map((s) => (s.id === id ? result.story : s)) };
    await savePrd(io.sys.fs, path, next, at);
    io.out(`${id}: ${story.status} -> ${result.story.status} (saved ${path})`);
    for (const note of result.notes) io.out(`  ${note}`);
    return 0;
  } finally {
    await lock.release();
  }
}

const withCommon = <T extends { option: (flags: string, description: string) => T }>(command: T): T =>
  command
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("-f, --feature <name>", "the feature (default: the live run's, or the only one)");

export const registerStory: RegisterCommand = (program, ctx) => {
  const story = program.command("story").description("change a story's state: reset, skip or pass it by hand");
  withCommon(story.command("reset <id>"))
    .description("set the story back to pending (its attempts and failures are kept unless --clear-attempts)")
    .option(
      "--clear-attempts",
      "also clear its attempts, recorded failures and escalations: the tier ladder starts over",
    )
    .option("--reason <text>", "why, recorded in the story")
    .action(async (id: string, options: StoryOptions) => {
      const request: StoryAction = { action: "reset", clearAttempts: options.clearAttempts === true };
      if (options.reason !== undefined) request.reason = options.reason;
      ctx.setExit(await storyCommand(ctx.io, id, request, options));
    });
  withCommon(story.command("skip <id>"))
    .description("mark the story skipped: the run moves on and its dependants may start")
    .option("--reason <text>", "why, recorded in the story")
    .action(async (id: string, options: StoryOptions) => {
      const request: StoryAction = { action: "skip" };
      if (options.reason !== undefined) request.reason = options.reason;
      ctx.setExit(await storyCommand(ctx.io, id, request, options));
    });
  withCommon(story.command("pass <id>"))
    .description("mark the story passed by a human decision (recorded in the story with who, when and why)")
    .requiredOption("--reason <text>", "why it counts as passed; recorded in the story")
    .action(async (id: string, options: StoryOptions) => {
      ctx.setExit(await storyCommand(ctx.io, id, { action: "pass", reason: options.reason ?? "" }, options));
    });
};
