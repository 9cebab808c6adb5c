/**
 * The run's state for `nax diagnose`, computed from the evidence rather than
 * copied from a file: the resolved outcome (status file vs event log, pid
 * liveness, heartbeat age) plus the lock. Also the run-level findings: a
 * crash, a run interrupted by a signal (told as such, not as a crash), a
 * live-but-silent process, a stale lock. Pure.
 */

import { UNUSABLE_TEST_COMMAND } from "../../verification/unusable-command";
import type { LockSummary } from "../project-status";
import type { RunOutcome } from "../run-outcome";
import type { Finding, RunDiagnosis, RunStateName } from "./schema";

export interface RunStateInputs {
  runId: string | undefined;
  outcome: RunOutcome | undefined;
  /** Liveness of the run's pid, when it is on this host. */
  pidAlive: boolean | null;
}

function seconds(ms: number): string {
  return Number.isFinite(ms) ? `${Math.round(ms / 1000)} s` : "never";
}

export function classifyRunState(inputs: RunStateInputs): RunDiagnosis {
  const o = inputs.outcome;
  if (inputs.runId === undefined || !o) {
    return {
      state: "not-started",
      runId: null,
      pid: null,
      pidAlive: null,
      heartbeatAgeMs: null,
      currentStoryId: null,
      exitReason: null,
      signal: null,
      passed: 0,
      total: 0,
      costUsd: 0,
      evidence: ["no status file and no event log: this feature has not run yet"],
    };
  }
  const evidence: string[] = [
    o.source === "status"
      ? "the status file names this run"
      : o.source === "event-log"
        ? "no status file names this run any more; its own event log was read"
        : "neither a status file nor an event log describes this run",
  ];
  if (o.pid !== undefined) {
    const alive = inputs.pidAlive === null ? "on another host, not checked" : inputs.pidAlive ? "alive" : "not running";
    evidence.push(`pid ${o.pid}: ${alive}`);
  }
  if (o.heartbeatAgeMs !== undefined) evidence.push(`last heartbeat ${seconds(o.heartbeatAgeMs)} ago`);
  if (o.exitReason) evidence.push(`exit reason: ${o.exitReason}`);
  const state: RunStateName =
    o.status === "unavailable" ? "unknown" : o.status === "crashed" && o.signal ? "interrupted" : o.status;
  return {
    state,
    runId: inputs.runId,
    pid: o.pid ?? null,
    pidAlive: inputs.pidAlive,
    heartbeatAgeMs: Number.isFinite(o.heartbeatAgeMs ?? Number.NaN) ? (o.heartbeatAgeMs as number) : null,
    currentStoryId: o.currentStoryId ?? null,
    exitReason: o.exitReason ?? null,
    signal: o.signal ?? null,
    passed: o.passed,
    total: o.total,
    costUsd: o.costUsd,
    evidence,
  };
}

/** Pure: findings about the run as a whole (crash, hung process, stale lock). */
export function runFindings(feature: string, run: RunDiagnosis, lock: LockSummary): Finding[] {
  const findings: Finding[] = [];
  const base = { storyId: null, storyStatus: null };
  if (run.state === "crashed" && run.pidAlive === true) {
    findings.push({
      ...base,
      pattern: "hung-process",
      summary: `process ${run.pid} is alive but the run has stopped reporting`,
      evidence: [run.exitReason ?? `pid ${run.pid} is alive but silent`],
      fix: `the process looks hung: stop pid ${run.pid} yourself (nax never signals a process it did not start), then rerun \`nax run -f ${feature}\``,
    });
  } else if (run.state === "crashed") {
    const during = run.currentStoryId ? ` while working on ${run.currentStoryId}` : "";
    findings.push({
      ...base,
      pattern: "crashed-run",
      summary: `run ${run.runId} crashed${during}`,
      evidence: [run.exitReason ?? "the run stopped without a final event"],
      fix: `rerun \`nax run -f ${feature}\`: stories already passed stay passed${run.currentStoryId ? `, and ${run.currentStoryId} is picked up again` : ""}`,
    });
  }
  if (run.state === "failed" && run.exitReason?.startsWith(UNUSABLE_TEST_COMMAND)) {
    findings.push({
      ...base,
      pattern: "environmental",
      summary: run.exitReason.split(";")[0] ?? run.exitReason,
      evidence: [
        `exit reason: ${run.exitReason}`,
        "the run stopped after the first verification: no agent session can install a command",
      ],
      fix: `install the missing command (check that it runs from the project folder) or correct quality.commands.test in nax/config.json, then rerun \`nax run -f ${feature}\``,
    });
  }
  if (run.state === "interrupted") {
    const during = run.currentStoryId ? ` while working on ${run.currentStoryId}` : "";
    findings.push({
      ...base,
      pattern: "interrupted-run",
      summary: `run ${run.runId} was ${run.exitReason ?? "interrupted"}${during}`,
      evidence: [`the run recorded the signal ${run.signal}`],
      fix: `rerun \`nax run -f ${feature}\` to continue: stories already passed stay passed${run.currentStoryId ? `, and ${run.currentStoryId} starts again with its attempts untouched` : ""}`,
    });
  }
  if (lock.state === "stale") {
    const evidence =
      lock.reason === "unparseable"
        ? [`${lock.path} cannot be parsed`]
        : [`${lock.path} names pid ${lock.pid} (run ${lock.runId}, feature ${lock.feature}), which is not running`];
    findings.push({
      ...base,
      pattern: "stale-lock",
      summary: "a lock was left behind by a run that is gone",
      evidence,
      fix: "`nax unlock` removes it (the next `nax run` would also replace it)",
    });
  }
  return findings;
}
