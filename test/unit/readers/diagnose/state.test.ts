import { describe, expect, test } from "bun:test";
import { recommend } from "../../../../src/readers/diagnose/recommendations";
import { classifyRunState, runFindings } from "../../../../src/readers/diagnose/state";
import type { RunOutcome } from "../../../../src/readers/run-outcome";

const RUN = "run-2026-03-07T05-00-00-000Z";
const crashed: RunOutcome = {
  status: "crashed",
  passed: 1,
  total: 3,
  costUsd: 0.4,
  durationMs: 1000,
  pid: 4242,
  heartbeatAgeMs: 300_000,
  exitReason: "process 4242 is alive but has written no heartbeat for 300 s",
  currentStoryId: "US-002",
  source: "status",
};

describe("classifyRunState", () => {
  test("a feature without a run is not started", () => {
    const run = classifyRunState({ runId: undefined, outcome: undefined, pidAlive: null });
    expect(run.state).toBe("not-started");
    expect(recommend("auth", run, [])).toEqual(["start the feature with `nax run -f auth`"]);
  });

  test("a crash keeps the story in progress and the evidence it was judged on", () => {
    const run = classifyRunState({ runId: RUN, outcome: { ...crashed, pid: 77 }, pidAlive: false });
    expect(run).toMatchObject({ state: "crashed", currentStoryId: "US-002", pid: 77, pidAlive: false });
    expect(run.evidence).toContain("pid 77: not running");
    const findings = runFindings("auth", run, { state: "absent", path: "/x/nax.lock" });
    expect(findings.map((f) => f.pattern)).toEqual(["crashed-run"]);
    expect(findings[0]?.fix).toContain("nax run -f auth");
  });

  test("a crash whose process is still alive is a hung process, never something nax would signal", () => {
    const run = classifyRunState({ runId: RUN, outcome: crashed, pidAlive: true });
    const findings = runFindings("auth", run, { state: "live", path: "/x/nax.lock", pid: 4242 });
    expect(findings.map((f) => f.pattern)).toEqual(["hung-process"]);
    expect(findings[0]?.fix).toContain("stop pid 4242 yourself");
  });

  test("a stale lock is a finding with the unlock fix, and recommendations are numbered once each", () => {
    const run = classifyRunState({ runId: RUN, outcome: { ...crashed, pid: 77 }, pidAlive: false });
    const lock = {
      state: "stale" as const,
      path: "/x/nax.lock",
      pid: 77,
      runId: RUN,
      feature: "auth",
      reason: "dead-pid",
    };
    const findings = runFindings("auth", run, lock);
    expect(findings.map((f) => f.pattern)).toEqual(["crashed-run", "stale-lock"]);
    const recs = recommend("auth", run, [...findings, ...findings]);
    expect(recs).toHaveLength(2);
    expect(recs[1]).toContain("nax unlock");
  });

  test("a completed run with nothing wrong says there is nothing to do", () => {
    const run = classifyRunState({
      runId: RUN,
      outcome: { ...crashed, status: "completed", exitReason: undefined, currentStoryId: undefined },
      pidAlive: false,
    });
    expect(recommend("auth", run, [])).toEqual(["nothing to do: every story passed"]);
  });
});
