/**
 * `nax plan [-f feature] [--dry-run] [--force] [--tier t] [--cost-limit usd] [--json]`
 * (alias `analyze`): the feature's spec.md turned into prd.json by one agent
 * session (plan/plan-feature.ts). Prints the stories with their criterion
 * ids and the sessions' cost; a refused plan prints every validation error
 * and exits 1 with nothing written. `--dry-run` prints the PRD on stdout
 * (the summary goes to stderr, so the output can be saved as it is).
 */
import { resolve } from "node:path";
import { NaxError } from "../../errors";
import { type PlanReport, planFeature } from "../../plan/plan-feature";
import { storyCriteria } from "../../prd/criteria";
import { serializePrd } from "../../prd/load";
import { formatCost } from "../../utils/format-cost";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

export interface PlanFlags {
  dir?: string;
  feature?: string;
  force?: boolean;
  dryRun?: boolean;
  tier?: string;
  costLimit?: string;
  json?: boolean;
}

function costLimitOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new NaxError("USAGE", `--cost-limit must be a positive number (USD), got "${raw}"`);
  }
  return value;
}

function costLine(report: PlanReport): string {
  const n = report.sessions.length;
  return `cost: ${formatCost(report.costUsd)} in ${n} ${n === 1 ? "session" : "sessions"} (${report.agent}, model ${report.model})`;
}

function storyLines(report: PlanReport & { kind: "planned" }): string[] {
  return report.prd.userStories.map((story) => {
    const ids = storyCriteria(story).map((c) => c.id);
    const deps = story.dependencies?.length ? `, after ${story.dependencies.join(", ")}` : "";
    return `  ${story.id}: ${story.title} (${ids.join(", ")}${deps})`;
  });
}

function printReport(io: CliIo, report: PlanReport): number {
  if (report.kind === "agent-failed") {
    io.err(`nax plan: the planning session failed: ${report.error}`);
    io.err(costLine(report));
    return 1;
  }
  if (report.kind === "refused") {
    io.err(
      `nax plan: the agent's PRD failed validation in ${report.sessions.length} sessions; nothing was written to ${report.prdPath}`,
    );
    for (const problem of report.problems) io.err(`  ${problem}`);
    io.err(costLine(report));
    return 1;
  }
  const stories = report.prd.userStories.length;
  const criteria = report.prd.userStories.reduce((sum, s) => sum + s.acceptanceCriteria.length, 0);
  const say = report.written ? io.out : io.err;
  if (!report.written) io.out(serializePrd(report.prd).trimEnd());
  say(
    `${report.written ? "planned" : "would plan (dry run, nothing written)"} ${stories} ${stories === 1 ? "story" : "stories"} with ${criteria} acceptance criteria${report.written ? ` into ${report.prdPath}` : ""}`,
  );
  for (const line of storyLines(report)) say(line);
  if (report.written && report.replaced.length > 0) say(`replaced with --force: ${report.replaced.join(", ")}`);
  say(costLine(report));
  if (report.written) say(`next: review prd.json, commit it, then \`nax run -f ${report.feature}\``);
  return 0;
}

export async function planCommand(io: CliIo, flags: PlanFlags): Promise<number> {
  const report = await planFeature(io.sys, {
    dir: resolve(io.cwd, flags.dir ?? "."),
    ...(flags.feature === undefined ? {} : { feature: flags.feature }),
    force: flags.force === true,
    dryRun: flags.dryRun === true,
    ...(flags.tier === undefined ? {} : { tier: flags.tier }),
    ...(flags.costLimit === undefined ? {} : { costLimit: costLimitOf(flags.costLimit) }),
  });
  if (flags.json) {
    io.out(JSON.stringify(report, null, 2));
    return report.kind === "planned" ? 0 : 1;
  }
  return printReport(io, report);
}

export const registerPlan: RegisterCommand = (program, ctx) => {
  program
    .command("plan")
    .alias("analyze")
    .description("turn the feature's spec.md into prd.json with one agent session; the answer is validated first")
    .option("-f, --feature <name>", "the feature to plan (required when there is more than one)")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("--dry-run", "print the planned PRD; write nothing")
    .option("--force", "replace a prd.json whose stories have progress, or that does not load")
    .option("--tier <name>", "the tier (from models) whose model plans (default: powerful)")
    .option("--cost-limit <usd>", "start no session once this much was spent (default: execution.costLimit)")
    .option("--json", "machine-readable: the report with the PRD, each session's outcome and the cost")
    .action(async (flags: PlanFlags) => {
      ctx.setExit(await planCommand(ctx.io, flags));
    });
};
