/**
 * `nax runs [--project p] [--last N] [--status s] [--json]`: every run this
 * machine registered, across projects, newest first, each with its own
 * outcome. Works from any directory; `-d` only anchors a `--project` path.
 */
import { resolve } from "node:path";
import { NaxError } from "../../errors";
import { listRuns, OutcomeStatusSchema } from "../../readers/registry";
import type { OutcomeStatus } from "../../readers/run-outcome";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";
import { createPaint } from "../render/paint";
import { renderRuns } from "../render/runs-view";

export interface RunsOptions {
  dir?: string;
  project?: string;
  last?: string;
  status?: string;
  json?: boolean;
}

export const DEFAULT_LAST = 20;

function parseLast(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LAST;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new NaxError("USAGE", `--last "${value}" must be a whole number of at least 1`);
  return n;
}

function parseStatus(value: string | undefined): OutcomeStatus | undefined {
  if (value === undefined) return undefined;
  const parsed = OutcomeStatusSchema.safeParse(value);
  if (!parsed.success) {
    throw new NaxError(
      "USAGE",
      `--status "${value}" is not a run status; use one of ${OutcomeStatusSchema.options.join(", ")}`,
    );
  }
  return parsed.data;
}

export async function runsCommand(io: CliIo, options: RunsOptions): Promise<number> {
  const listing = await listRuns(io.sys, {
    cwd: resolve(io.cwd, options.dir ?? "."),
    last: parseLast(options.last),
    project: options.project,
    status: parseStatus(options.status),
  });
  if (listing.indexError !== undefined) io.err(`nax: warning: ${listing.indexError}`);
  if (options.json) {
    io.out(JSON.stringify(listing.rows, null, 2));
    if (listing.skipped > 0) io.err(`nax: ${listing.skipped} unreadable registry entries skipped`);
    return 0;
  }
  const paint = createPaint({ env: io.sys.env, isTTY: io.isTTY });
  const filtered = {
    ...(options.status ? { status: options.status } : {}),
    ...(options.project ? { project: options.project } : {}),
  };
  io.out(renderRuns(listing, paint, filtered).join("\n"));
  return 0;
}

export const registerRuns: RegisterCommand = (program, ctx) => {
  program
    .command("runs")
    .description("list nax runs on this machine, across projects, newest first")
    .option("-d, --dir <path>", "folder a --project path is relative to (default: the current folder)")
    .option(
      "--project <name|path>",
      "only runs of this project: its prd.json `project`, its folder name, or its folder path",
    )
    .option("--last <n>", `show the newest n runs (default ${DEFAULT_LAST})`)
    .option("--status <status>", `only runs with this outcome (${OutcomeStatusSchema.options.join(", ")})`)
    .option("--json", "machine-readable output: an array of rows")
    .action(async (options: RunsOptions) => {
      ctx.setExit(await runsCommand(ctx.io, options));
    });
};
