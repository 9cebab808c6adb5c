/**
 * One run's own outcome. A status file speaks for a run only when its
 * `run.id` is that run's id (a later run of the same feature overwrites the
 * snapshot); otherwise the run's own event log decides. A `running` status
 * whose pid is dead or whose heartbeat is stale is a crash. Pure core
 * (`resolveRunOutcome`) plus the reads that feed it (`readRunOutcome`).
 */
import { join } from "node:path";
import { projectPaths } from "../state/paths";
import type { RunMeta } from "../state/run-meta";
import { type StatusFile, StatusFileSchema } from "../state/status-file";
import type { Sys } from "../system/sys";
import { type EventLogSummary, readEventLog, summarizeEventLog } from "./event-log";
import { describeInterruption } from "./interruption";
import { okValue, readJsonAs } from "./read-json";

/** The status writer refreshes its heartbeat every 10 s; six missed beats mean nobody is writing any more. */
export const STALE_HEARTBEAT_MS = 60_000;

export type OutcomeStatus = "running" | "completed" | "failed" | "stalled" | "crashed" | "unavailable";

export interface RunOutcome {
  status: OutcomeStatus;
  passed: number;
  total: number;
  costUsd: number;
  durationMs: number;
  startedAt?: string;
  pid?: number;
  hostname?: string;
  heartbeatAgeMs?: number;
  exitReason?: string;
  /** The signal that stopped the run (it is then "crashed" in the state files, but was interrupted). */
  signal?: string;
  /** The story that was running (live) or in progress when the run died. */
  currentStoryId?: string;
  /** Where the answer came from. */
  source: "status" | "event-log" | "none";
}

/** Where a run keeps its state: what the registry records, or what a project's own files give. */
export type RunRef = Pick<RunMeta, "runId" | "workdir" | "statusPath" | "eventsDir">;

export interface OutcomeInputs {
  runId: string;
  projectExists: boolean;
  /** Status files that may describe this run (live first, then the feature snapshot). */
  statuses: readonly StatusFile[];
  log?: EventLogSummary;
  now: number;
  hostname: string;
  isPidAlive(pid: number): boolean;
}

export interface Liveness {
  alive: boolean;
  heartbeatAgeMs: number;
  reason?: string;
}

/** Pure: is a `running` status still running? Same host: pid alive and heartbeat fresh. Another host: heartbeat only. */
export function judgeLiveness(
  status: StatusFile,
  now: number,
  hostname: string,
  isPidAlive: (pid: number) => boolean,
): Liveness {
  const beat = Date.parse(status.lastHeartbeat);
  const heartbeatAgeMs = Number.isFinite(beat) ? Math.max(0, now - beat) : Number.POSITIVE_INFINITY;
  const sameHost = status.run.hostname === hostname;
  if (sameHost && !isPidAlive(status.run.pid)) {
    return { alive: false, heartbeatAgeMs, reason: `process ${status.run.pid} is no longer running` };
  }
  if (heartbeatAgeMs > STALE_HEARTBEAT_MS) {
    const seconds = Number.isFinite(heartbeatAgeMs) ? `${Math.round(heartbeatAgeMs / 1000)} s` : "ever";
    const who = sameHost
      ? `process ${status.run.pid} is alive but`
      : `process ${status.run.pid} on ${status.run.hostname}`;
    return { alive: false, heartbeatAgeMs, reason: `${who} has written no heartbeat for ${seconds}` };
  }
  return { alive: true, heartbeatAgeMs };
}

function elapsed(from: string | undefined, to: number): number {
  const start = from === undefined ? Number.NaN : Date.parse(from);
  return Number.isFinite(start) ? Math.max(0, to - start) : 0;
}

function fromStatus(status: StatusFile, inputs: OutcomeInputs): RunOutcome {
  const base: RunOutcome = {
    status: status.run.status === "precheck-failed" ? "failed" : status.run.status,
    passed: status.progress.passed,
    total: status.progress.total,
    costUsd: status.cost.spent,
    durationMs: status.durationMs,
    startedAt: status.run.startedAt,
    pid: status.run.pid,
    hostname: status.run.hostname,
    source: "status",
  };
  const signal = status.run.status === "crashed" ? status.run.crashSignal : undefined;
  if (signal !== undefined) base.signal = signal;
  const exitReason =
    status.run.exitReason ??
    (signal !== undefined ? describeInterruption(signal) : undefined) ??
    (status.run.status === "precheck-failed" ? "precheck failed" : undefined);
  if (exitReason !== undefined) base.exitReason = exitReason;
  if (status.current) base.currentStoryId = status.current.storyId;
  if (status.run.status !== "running") return base;
  const live = judgeLiveness(status, inputs.now, inputs.hostname, inputs.isPidAlive);
  base.heartbeatAgeMs = live.heartbeatAgeMs;
  if (live.alive) return { ...base, durationMs: elapsed(status.run.startedAt, inputs.now) };
  return { ...base, status: "crashed", exitReason: live.reason ?? "the run stopped without finishing" };
}

function fromLog(log: EventLogSummary): RunOutcome {
  const terminal = log.terminal;
  const counts = log.counts;
  const base: RunOutcome = {
    status: "crashed",
    passed: counts?.passed ?? 0,
    total: counts?.total ?? 0,
    costUsd: log.costUsd,
    durationMs: elapsed(log.startedAt, Date.parse(log.lastAt ?? "")),
    source: "event-log",
  };
  if (log.startedAt !== undefined) base.startedAt = log.startedAt;
  if (log.pid !== undefined) base.pid = log.pid;
  if (log.hostname !== undefined) base.hostname = log.hostname;
  if (log.storyInProgress !== undefined) base.currentStoryId = log.storyInProgress;
  if (terminal?.type === "run:completed") {
    const d = terminal.data;
    const outcome: RunOutcome = { ...base, status: d.status, costUsd: d.costSpent, durationMs: d.durationMs };
    if (d.exitReason !== undefined) outcome.exitReason = d.exitReason;
    return outcome;
  }
  if (terminal?.type === "run:crashed") {
    const d = terminal.data;
    if (typeof d.signal === "string" && d.signal !== "") {
      return { ...base, signal: d.signal, exitReason: describeInterruption(d.signal) };
    }
    return { ...base, exitReason: d.error ? String(d.error) : "crashed" };
  }
  // No status file names this run and its log has no ending: whatever ran it is gone.
  return { ...base, exitReason: "the run ended without a final event (killed, or the machine stopped)" };
}

export function resolveRunOutcome(inputs: OutcomeInputs): RunOutcome {
  const none: RunOutcome = { status: "unavailable", passed: 0, total: 0, costUsd: 0, durationMs: 0, source: "none" };
  if (!inputs.projectExists) return { ...none, exitReason: "the project folder is gone (moved or deleted)" };
  const own = inputs.statuses.filter((s) => s.run.id === inputs.runId);
  const status = own.find((s) => s.run.status !== "running") ?? own[0];
  // A status file still saying `running` loses to a log that recorded the end (the status write may have failed).
  if (status && !(status.run.status === "running" && inputs.log?.terminal)) return fromStatus(status, inputs);
  if (inputs.log) return fromLog(inputs.log);
  return { ...none, exitReason: "neither a status file nor an event log describes this run" };
}

export function runLogPath(ref: RunRef): string {
  return join(ref.eventsDir, `${ref.runId}.jsonl`);
}

export async function readRunOutcome(
  sys: Pick<Sys, "fs" | "clock" | "hostname" | "isPidAlive">,
  ref: RunRef,
): Promise<RunOutcome> {
  const projectExists = (await sys.fs.stat(ref.workdir))?.isDirectory === true;
  const live = projectPaths(ref.workdir).status;
  const paths = ref.statusPath === live ? [live] : [live, ref.statusPath];
  const statuses = projectExists
    ? (await Promise.all(paths.map((p) => readJsonAs(sys.fs, p, StatusFileSchema)))).flatMap((r) => okValue(r) ?? [])
    : [];
  const matched = statuses.some((s) => s.run.id === ref.runId && s.run.status !== "running");
  const log = projectExists && !matched ? await readEventLog(sys.fs, runLogPath(ref)) : undefined;
  return resolveRunOutcome({
    runId: ref.runId,
    projectExists,
    statuses,
    log: log ? summarizeEventLog(log.lines) : undefined,
    now: sys.clock.now(),
    hostname: sys.hostname,
    isPidAlive: (pid) => sys.isPidAlive(pid),
  });
}
