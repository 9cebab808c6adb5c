/**
 * A rate-limited agent session with the test-double agent: the first session
 * ends with a 429 (after a CLI retry that names the delay), the run waits and
 * replays the same attempt, which then succeeds. The wait spends no attempt
 * and escalates nothing, and while it lasts the status file and `nax status`
 * say so. The run's clock holds the wait open until the test has looked, so
 * nothing depends on timing. A session still limited after
 * `rateLimit.maxRetries` waits pauses the story, and the run ends stalled.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CONTROL_POLL_MS } from "../../../src/control/run-control";
import type { StatusFile } from "../../../src/state/status-file";
import { type Clock, cancellableSleep, createSystemClock } from "../../../src/system/clock";
import { createSys } from "../../../src/system/sys";
import { type CliResult, createTestProject, type TestProject } from "../../helpers/project";
import { dataOf, readEvents, readStatus, readStories } from "../../helpers/read-run";
import { until } from "../../helpers/until";

/** The system clock, except that the first sleep waits for `release()`: it records what it was asked for. */
function gatedClock() {
  const system = createSystemClock();
  const { promise: gate, resolve: release } = Promise.withResolvers<void>();
  const asked: number[] = [];
  const clock: Clock = {
    now: system.now,
    iso: system.iso,
    sleep(ms, signal) {
      // The control-command poller (src/control/run-control.ts) sleeps on the same clock: not a rate-limit wait.
      if (ms === CONTROL_POLL_MS) return cancellableSleep(ms, signal);
      asked.push(ms);
      return asked.length === 1 ? gate : cancellableSleep(ms, signal);
    },
  };
  return { clock, asked, release: () => release() };
}

describe("a rate-limited session followed by success", () => {
  let project: TestProject;
  let result: CliResult;
  let whileWaiting: StatusFile;
  let statusOutput: CliResult;
  let asked: number[];

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "Write the file" }],
      config: { quality: { commands: { test: "test -f src/done.txt" } } },
      script: {
        sessions: [
          { name: "limited", times: 1, result: { rateLimitRetryDelayMs: 25 } },
          { name: "after the wait", actions: [{ write: { path: "src/done.txt", content: "ok\n" } }] },
        ],
      },
    });
    const gated = gatedClock();
    asked = gated.asked;
    const sys = createSys({ env: project.env, naxHome: project.home, clock: gated.clock });
    const running = project.nax(["run", "-f", "demo", "--skip-precheck"], { sys });
    await until("the status file showing the rate-limit wait", async () => {
      const status = await readStatus(project).catch(() => undefined);
      return Boolean(status?.rateLimit);
    });
    whileWaiting = await readStatus(project);
    statusOutput = await project.nax(["status"]);
    gated.release();
    result = await running;
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("while it waits, the status file says until when and why, with the run still running", () => {
    expect(whileWaiting.run.status).toBe("running");
    expect(whileWaiting.current).toMatchObject({ storyId: "US-001", attempt: 1, phase: "agent" });
    expect(whileWaiting.rateLimit?.reason).toContain("429");
    expect(Date.parse(whileWaiting.rateLimit?.waitingUntil ?? "")).toBeGreaterThan(Date.parse(whileWaiting.startedAt));
  });

  test("while it waits, nax status shows the wait", () => {
    expect(statusOutput.code).toBe(0);
    expect(statusOutput.out).toContain("rate limited: waiting");
    expect(statusOutput.out).toContain("429");
  });

  test("the wait honours the CLI's retry delay and agent:rate-limited is emitted once", async () => {
    // The first wait is the CLI's delay. The test's clock ends it early (on release), so the run-wide gate may then
    // wait out what is left of it before the next session: never longer than the delay.
    expect(asked[0]).toBe(25);
    expect(asked.slice(1).every((ms) => ms > 0 && ms <= 25)).toBe(true);
    const limited = dataOf(await readEvents(project), "agent:rate-limited");
    expect(limited).toEqual([
      {
        storyId: "US-001",
        waitMs: 25,
        until: whileWaiting.rateLimit?.waitingUntil,
        reason: expect.any(String),
        lane: 1,
      },
    ]);
  });

  test("the same attempt is replayed: one story:started, two implement sessions with the same prompt", async () => {
    const events = await readEvents(project);
    expect(dataOf(events, "story:started").map((d) => d.attempt)).toEqual([1]);
    expect(dataOf(events, "agent:session-completed").map((d) => [d.purpose, d.outcome])).toEqual([
      ["implement", "rate-limited"],
      ["implement", "success"],
    ]);
    const calls = await project.claudeCalls();
    expect(calls.map((c) => c.session)).toEqual(["limited", "after the wait"]);
    expect(calls[1]?.prompt).toBe(calls[0]?.prompt ?? "");
  });

  test("no attempt is spent and nothing escalates: the story passes with attempts 1", async () => {
    expect(result.code).toBe(0);
    const story = (await readStories(project))["US-001"];
    expect(story).toMatchObject({ status: "passed", attempts: 1 });
    expect(story?.priorFailures ?? []).toEqual([]);
    expect(story?.escalations ?? []).toEqual([]);
    expect(dataOf(await readEvents(project), "story:escalated")).toEqual([]);
  });

  test("once the run is over the status file no longer shows a wait", async () => {
    const status = await readStatus(project);
    expect(status.run.status).toBe("completed");
    expect(status.rateLimit ?? null).toBeNull();
  });
});

describe("a session that stays rate limited past execution.rateLimit.maxRetries", () => {
  let project: TestProject;
  let result: CliResult;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "Write the file" },
        { id: "US-002", title: "After it", dependencies: ["US-001"] },
      ],
      config: {
        quality: { commands: { test: "test -f src/done.txt" } },
        execution: { rateLimit: { maxRetries: 1 } },
      },
      script: { default: { result: { rateLimitRetryDelayMs: 5 } } },
    });
    result = await project.nax(["run", "-f", "demo", "--skip-precheck"]);
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("pauses the story for a human after one wait, without spending an attempt or escalating", async () => {
    const events = await readEvents(project);
    expect(dataOf(events, "agent:rate-limited")).toHaveLength(1);
    expect(dataOf(events, "agent:session-completed").map((d) => d.outcome)).toEqual(["rate-limited", "rate-limited"]);
    expect(dataOf(events, "story:paused")).toEqual([
      expect.objectContaining({
        storyId: "US-001",
        reason: expect.stringContaining("still rate limited after 1 wait ("),
      }),
    ]);
    expect(dataOf(events, "story:escalated")).toEqual([]);
    const stories = await readStories(project);
    expect(stories["US-001"]).toMatchObject({ status: "paused", attempts: 0 });
    expect(stories["US-002"]).toMatchObject({ status: "pending", attempts: 0 });
  });

  test("the run ends stalled with exit code 1 and a reason naming the paused story", async () => {
    expect(result.code).toBe(1);
    const status = await readStatus(project);
    expect(status.run.status).toBe("stalled");
    expect(status.run.exitReason).toBe(
      "no story can run: US-001 paused; not started because a dependency cannot pass: US-002",
    );
  });
});
