/**
 * `nax prompts [-f feature] [--story id] [--json]`: the exact prompt nax would
 * send for each runnable story's next attempt, built by the run's own code,
 * without calling an agent or writing anything.
 */
import { resolve } from "node:path";
import { previewPrompts } from "../../execution/next-prompts";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

export interface PromptsOptions {
  dir?: string;
  feature?: string;
  story?: string;
  json?: boolean;
}

export async function promptsCommand(io: CliIo, options: PromptsOptions): Promise<number> {
  const report = await previewPrompts(io.sys, {
    dir: resolve(io.cwd, options.dir ?? "."),
    ...(options.feature === undefined ? {} : { feature: options.feature }),
    ...(options.story === undefined ? {} : { storyId: options.story }),
  });
  if (options.json) {
    io.out(JSON.stringify(report, null, 2));
    return 0;
  }
  if (report.prompts.length === 0) {
    io.out(`feature ${report.feature}: no story has a next attempt (every story passed, failed, skipped or blocked)`);
    return 0;
  }
  const blocks = report.prompts.map((p) => {
    const head = `===== ${p.storyId}: attempt ${p.attempt} on tier ${p.tier} (${p.model}), ${p.testStrategy} =====`;
    const notes = p.notes.map((n) => `note: ${n}`);
    return [head, ...notes, p.prompt.trimEnd()].join("\n");
  });
  io.out(blocks.join("\n\n"));
  return 0;
}

export const registerPrompts: RegisterCommand = (program, ctx) => {
  program
    .command("prompts")
    .description("the exact prompt of each runnable story's next attempt; calls no agent, writes nothing")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("-f, --feature <name>", "the feature (required when there is more than one)")
    .option("--story <id>", "only this story's prompt")
    .option("--json", "machine-readable: each prompt with its attempt, tier, model and test strategy")
    .action(async (options: PromptsOptions) => {
      ctx.setExit(await promptsCommand(ctx.io, options));
    });
};
