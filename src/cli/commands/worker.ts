/**
 * `nax worker <job.json|->`: runs one story's attempt loop from a job
 * (docs/worker.md) in a clone of its own, writes numbered JSONL events and a
 * result line to stdout, and exits with the result's code. A bad job is
 * refused (exit 2) before anything is cloned or spent.
 */
import { EventEmitter } from "node:events";
import { resolve } from "node:path";
import { MAX_TIMER_SECONDS } from "../../config/schema";
import { NaxError } from "../../errors";
import { parseWorkerJob } from "../../worker/job";
import { runWorker } from "../../worker/run-worker";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

export interface WorkerFlags {
  workDir?: string;
  heartbeat?: string;
}

async function readJob(io: CliIo, arg: string): Promise<{ text: string; source: string }> {
  if (arg === "-") {
    if (!io.readStdin) throw new NaxError("USAGE", "nax worker -: stdin cannot be read here; pass the job's file path");
    return { text: await io.readStdin(), source: "stdin" };
  }
  const path = resolve(io.cwd, arg);
  const text = await io.sys.fs.readText(path);
  if (text === undefined) throw new NaxError("USAGE", `${path}: no such job file; pass the job's path, or - for stdin`);
  return { text, source: path };
}

export async function workerCommand(io: CliIo, jobArg: string, flags: WorkerFlags): Promise<number> {
  const { text, source } = await readJob(io, jobArg);
  const job = parseWorkerJob(text, source);
  if (flags.heartbeat !== undefined) {
    const seconds = Number(flags.heartbeat);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMER_SECONDS) {
      throw new NaxError(
        "USAGE",
        `--heartbeat must be a positive number of seconds (at most ${MAX_TIMER_SECONDS}), got "${flags.heartbeat}"`,
      );
    }
    job.heartbeatSeconds = seconds;
  }
  // In-process callers (tests) get a private emitter: a worker must never exit the process hosting it.
  const host = io.process ?? { target: new EventEmitter(), exit: () => undefined };
  const run = await runWorker(job, resolve(io.cwd, flags.workDir ?? "nax-worker"), {
    sys: io.sys,
    process: host.target,
    exit: host.exit,
    write: io.write ?? ((line) => io.out(line)),
    warn: (message) => io.err(message),
  });
  return run.exitCode;
}

export const registerWorker: RegisterCommand = (program, ctx) => {
  program
    .command("worker")
    .description(
      "run one story's attempts from a job (JSON): JSONL events and a result line on stdout (docs/worker.md)",
    )
    .argument("<job>", "the job file, or - to read it from stdin")
    .option("--work-dir <path>", "the worker's own folder: its clone, worktrees and state (default: ./nax-worker)")
    .option("--heartbeat <seconds>", "seconds between worker:heartbeat events (default: the job's heartbeatSeconds)")
    .action(async (jobArg: string, flags: WorkerFlags) => {
      ctx.setExit(await workerCommand(ctx.io, jobArg, flags));
    });
};
