import { describe, expect, test } from "bun:test";
import { summarizeEventLog } from "../../../src/readers/event-log";
import { type OutcomeInputs, resolveRunOutcome, STALE_HEARTBEAT_MS } from "../../../src/readers/run-outcome";
import { counts, DEAD_PID, HOST, NOW, runEvents, statusFile } from "../../helpers/state-fixtures";

const RUN = "run-2026-03-07T05-50-00-000Z";
const OTHER = "run-2026-03-07T05-55-00-000Z";
const LIVE_PID = 4242;

function inputs(over: Partial<OutcomeInputs>): OutcomeInputs {
  return {
    runId: RUN,
    projectExists: true,
    statuses: [],
    now: NOW,
    hostname: HOST,
    isPidAlive: (pid) => pid === LIVE_PID,
    ...over,
  };
}

const beat = (agoMs: number) => new Date(NOW - agoMs).toISOString();

describe("resolveRunOutcome", () => {
  test("a status file naming this run gives its terminal status and counts", () => {
    const status = statusFile({ runId: RUN, feature: "f", status: "completed", progress: counts(3, 3), spent: 1.5 });
    const outcome = resolveRunOutcome(inputs({ statuses: [status] }));
    expect(outcome).toMatchObject({ status: "completed", passed: 3, total: 3, costUsd: 1.5, source: "status" });
  });

  test("a status file naming another run is ignored in favour of this run's own event log", () => {
    const later = statusFile({ runId: OTHER, feature: "f", status: "completed", progress: counts(5, 5) });
    const log = summarizeEventLog(runEvents(RUN, { end: "failed", final: counts(2, 5, 1), cost: 0.75 }));
    const outcome = resolveRunOutcome(inputs({ statuses: [later], log }));
    expect(outcome).toMatchObject({ status: "failed", passed: 2, total: 5, costUsd: 0.75, source: "event-log" });
  });

  test("a running status with a live pid and a fresh heartbeat is running, timed from its start", () => {
    const startedAt = new Date(NOW - 90_000).toISOString();
    const status = statusFile({
      runId: RUN,
      feature: "f",
      status: "running",
      pid: LIVE_PID,
      startedAt,
      lastHeartbeat: beat(5_000),
    });
    const outcome = resolveRunOutcome(inputs({ statuses: [status] }));
    expect(outcome.status).toBe("running");
    expect(outcome.durationMs).toBe(90_000);
    expect(outcome.heartbeatAgeMs).toBe(5_000);
  });

  test("a running status whose pid is dead is a crash that names the pid", () => {
    const status = statusFile({
      runId: RUN,
      feature: "f",
      status: "running",
      pid: DEAD_PID,
      lastHeartbeat: beat(1_000),
    });
    const outcome = resolveRunOutcome(inputs({ statuses: [status] }));
    expect(outcome.status).toBe("crashed");
    expect(outcome.exitReason).toContain(String(DEAD_PID));
  });

  test("a running status with a live pid but a stale heartbeat is a crash", () => {
    const status = statusFile({
      runId: RUN,
      feature: "f",
      status: "running",
      pid: LIVE_PID,
      lastHeartbeat: beat(STALE_HEARTBEAT_MS + 1_000),
    });
    const outcome = resolveRunOutcome(inputs({ statuses: [status] }));
    expect(outcome.status).toBe("crashed");
    expect(outcome.exitReason).toContain("heartbeat");
  });

  test("a run on another host is judged by its heartbeat alone, since its pid cannot be checked", () => {
    const fresh = statusFile({
      runId: RUN,
      feature: "f",
      status: "running",
      hostname: "elsewhere",
      lastHeartbeat: beat(1_000),
    });
    expect(resolveRunOutcome(inputs({ statuses: [fresh] })).status).toBe("running");
    const stale = statusFile({
      runId: RUN,
      feature: "f",
      status: "running",
      hostname: "elsewhere",
      lastHeartbeat: beat(120_000),
    });
    expect(resolveRunOutcome(inputs({ statuses: [stale] })).status).toBe("crashed");
  });

  test("a run:crashed line makes the run crashed with its signal as the reason", () => {
    const log = summarizeEventLog(runEvents(RUN, { end: "crashed", final: counts(1, 2), storyIds: ["US-002"] }));
    const outcome = resolveRunOutcome(inputs({ log }));
    expect(outcome.status).toBe("crashed");
    expect(outcome.exitReason).toContain("SIGTERM");
    expect(outcome.currentStoryId).toBe("US-002");
  });

  test("a log with no ending and no status naming the run means the run died", () => {
    const log = summarizeEventLog(runEvents(RUN, { end: "none", final: counts(0, 2) }));
    expect(resolveRunOutcome(inputs({ log })).status).toBe("crashed");
  });

  test("a status still saying running loses to a log that recorded the run's end", () => {
    const status = statusFile({
      runId: RUN,
      feature: "f",
      status: "running",
      pid: LIVE_PID,
      lastHeartbeat: beat(1_000),
    });
    const log = summarizeEventLog(runEvents(RUN, { end: "completed", final: counts(2, 2) }));
    expect(resolveRunOutcome(inputs({ statuses: [status], log })).status).toBe("completed");
  });

  test("a terminal copy of this run's status wins over a running one", () => {
    const running = statusFile({
      runId: RUN,
      feature: "f",
      status: "running",
      pid: LIVE_PID,
      lastHeartbeat: beat(1_000),
    });
    const done = statusFile({ runId: RUN, feature: "f", status: "stalled", exitReason: "nothing runnable" });
    const outcome = resolveRunOutcome(inputs({ statuses: [running, done] }));
    expect(outcome).toMatchObject({ status: "stalled", exitReason: "nothing runnable" });
  });

  test("a project that is gone is unavailable", () => {
    const outcome = resolveRunOutcome(inputs({ projectExists: false }));
    expect(outcome.status).toBe("unavailable");
  });

  test("a project with neither a status nor a log for the run is unavailable", () => {
    expect(resolveRunOutcome(inputs({})).status).toBe("unavailable");
  });

  test("precheck-failed reads as failed with the reason kept", () => {
    const status = statusFile({ runId: RUN, feature: "f", status: "precheck-failed" });
    expect(resolveRunOutcome(inputs({ statuses: [status] }))).toMatchObject({
      status: "failed",
      exitReason: "precheck failed",
    });
  });
});
