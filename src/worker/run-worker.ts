/**
 * `nax worker`: one story's attempt loop on its own (docs/worker.md). The
 * story runs through the SAME story loop and attempt function as a local
 * lane (execution/story-loop.ts, execution/attempt.ts), one lane, in a clone
 * of the job's repository (story-work.ts). This module is the worker's
 * lifecycle: the crash handler (a signal aborts the loop; the agent's spawn
 * stops its group), the deadline (aborts the same way), the bus whose every
 * event goes to stdout as a numbered envelope line, the heartbeat, and the
 * one result line at the end, checked against its schema, with its exit code.
 */
import { createBusLogger } from "../app";
import { mergeLayers } from "../config/load";
import { ConfigSchema, type NaxConfig } from "../config/schema";
import { errorMessage, isNaxError } from "../errors";
import { createEventBus } from "../events/bus";
import { installCrashHandler, type ProcessLike } from "../execution/crash-handler";
import { createBudget } from "../pipeline/budget";
import { createRunId } from "../state/run-id";
import { createRedactor } from "../system/secrets";
import type { Sys } from "../system/sys";
import { waitForDeadline } from "./deadline";
import { attachEventStream, startHeartbeat } from "./event-stream";
import type { WorkerJob } from "./job";
import { EXIT_CODE_FOR_REASON, WORKER_RESULT_VERSION, type WorkerResult, WorkerResultSchema } from "./result";
import { doStory, type StoryEnding } from "./story-work";

export interface WorkerHost {
  sys: Sys;
  /** Where signals arrive: `process` in production, an emitter in tests. */
  process: ProcessLike;
  exit(code: number): void;
  /** Raw stdout. */
  write(text: string): void;
  /** stderr: what cannot wait for the bus. */
  warn(message: string): void;
}

export interface WorkerRun {
  result: WorkerResult;
  exitCode: number;
}

/** The job's config, with its budget as the cost limit and one lane. */
export function workerConfig(job: WorkerJob): NaxConfig {
  const merged = mergeLayers(job.config as unknown as Record<string, unknown>, {
    execution: { costLimit: job.budget.maxCostUsd, parallel: 1 },
  });
  return ConfigSchema.parse(merged);
}

function workerRedactor(config: NaxConfig, env: Sys["env"]) {
  const tierEnvs = Object.values(config.models).flatMap((spec) => (typeof spec === "string" ? [] : [spec.env ?? {}]));
  return createRedactor([env, ...tierEnvs], config.security.redactEnvNames);
}

export async function runWorker(job: WorkerJob, dir: string, host: WorkerHost): Promise<WorkerRun> {
  const { sys } = host;
  const startedMs = sys.clock.now();
  const runId = createRunId(startedMs);
  const controller = new AbortController();
  const crash = installCrashHandler({
    target: host.process,
    exit: host.exit,
    processes: sys.processes,
    log: host.warn,
    onInterrupt: () => controller.abort(),
    onFatal: async () => undefined,
  });
  let deadlineHit = false;
  const deadlineStop = new AbortController();
  const deadline = waitForDeadline(sys.clock, Date.parse(job.deadline), deadlineStop.signal).then((reached) => {
    if (!reached) return;
    deadlineHit = true;
    controller.abort();
  });
  const config = workerConfig(job);
  const redactor = workerRedactor(config, sys.env);
  const bus = createEventBus({
    runId,
    now: () => sys.clock.iso(),
    onSubscriberError: (name, event, error) =>
      host.warn(`nax: ${name} failed on ${event.type}: ${errorMessage(error)}`),
  });
  const detach = attachEventStream(bus, host.write, redactor);
  const budget = createBudget(config.execution.costLimit);
  const logger = createBusLogger(bus, sys);
  bus.emit("worker:started", {
    feature: job.feature,
    storyId: job.storyId,
    baseCommit: job.baseCommit,
    repository: job.repository,
    deadline: job.deadline,
    maxCostUsd: job.budget.maxCostUsd,
    pid: sys.pid,
    hostname: sys.hostname,
  });
  const heartbeat = startHeartbeat({
    bus,
    clock: sys.clock,
    budget,
    storyId: job.storyId,
    intervalMs: job.heartbeatSeconds * 1000,
  });
  let ending: StoryEnding;
  try {
    ending = await doStory({
      sys,
      job,
      config,
      dir,
      runId,
      bus,
      logger,
      budget,
      redactor,
      signal: controller.signal,
      deadlineHit: () => deadlineHit,
    });
  } catch (error) {
    // A story the repository does not have is a bad job (exit 2), told as such.
    if (isNaxError(error, "JOB_INVALID")) throw error;
    logger.error(`the worker failed: ${errorMessage(error)}`);
    ending = { reason: "internal-error", detail: errorMessage(error), kept: [], attempts: 0 };
  } finally {
    await heartbeat.stop();
    deadlineStop.abort();
    await deadline;
    await bus.drain();
    detach();
    crash.dispose();
  }
  const result = WorkerResultSchema.parse({
    v: WORKER_RESULT_VERSION,
    type: "worker:result",
    runId,
    feature: job.feature,
    storyId: job.storyId,
    baseCommit: job.baseCommit,
    ...ending,
    costUsd: budget.spent(),
    durationMs: Math.max(0, Math.round(sys.clock.now() - startedMs)),
    at: sys.clock.iso(),
  });
  host.write(redactor.text(`${JSON.stringify(result)}\n`));
  const interruption = crash.interruption();
  const exitCode =
    result.reason === "aborted" && interruption?.kind === "signal"
      ? interruption.exitCode
      : EXIT_CODE_FOR_REASON[result.reason];
  return { result, exitCode };
}
