/**
 * A rate limit is the account's, not the lane's: with two lanes, one lane's
 * 429 holds every lane's next session until the reset. Lane A's US-001 is
 * limited at once; lane B finishes US-002 and picks US-003, whose session
 * must wait for the same reset. The run's clock holds the first two sleeps
 * (US-001's wait and US-003's wait on the shared gate) until the test has
 * looked, then jumps to the reset, so nothing depends on timing.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CONTROL_POLL_MS } from "../../../src/control/run-control";
import { type Clock, cancellableSleep, createSystemClock } from "../../../src/system/clock";
import { createSys } from "../../../src/system/sys";
import { type CliResult, createTestProject, type TestProject } from "../../helpers/project";
import { dataOf, ofType, readEvents, readStories } from "../../helpers/read-run";
import { until } from "../../helpers/until";

const RESET_MS = 30_000;

/**
 * The system clock, except that the first `held` sleeps wait for `release()`,
 * which also moves time past the reset; it records what it was asked for.
 */
function heldClock(held: number) {
  const system = createSystemClock();
  const { promise: gate, resolve: open } = Promise.withResolvers<void>();
  const asked: number[] = [];
  let offset = 0;
  const now = () => system.now() + offset;
  const clock: Clock = {
    now,
    iso: () => new Date(now()).toISOString(),
    sleep(ms, signal) {
      // The control-command poller (src/control/run-control.ts) sleeps on the same clock: not a rate-limit wait.
      if (ms === CONTROL_POLL_MS) return cancellableSleep(ms, signal);
      asked.push(ms);
      return asked.length <= held ? gate : cancellableSleep(ms, signal);
    },
  };
  const release = () => {
    offset = RESET_MS;
    open();
  };
  return { clock, asked, release };
}

describe("a rate limit on one lane of a parallel run", () => {
  let project: TestProject;
  let result: CliResult;
  let us003SessionsWhileHeld: number;
  let us003StartedWhileHeld: boolean;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "limited" },
        { id: "US-002", title: "quick" },
        { id: "US-003", title: "next on the free lane" },
      ],
      config: { quality: { commands: { test: "true" } } },
      script: {
        sessions: [
          { name: "limited", match: "# Task: US-001", times: 1, result: { rateLimitRetryDelayMs: RESET_MS } },
          { match: "# Task: US-001", actions: [{ write: { path: "one.txt", content: "1\n" } }] },
          { match: "# Task: US-002", actions: [{ write: { path: "two.txt", content: "2\n" } }] },
          { match: "# Task: US-003", actions: [{ write: { path: "three.txt", content: "3\n" } }] },
        ],
      },
    });
    const held = heldClock(2);
    const sys = createSys({ env: project.env, naxHome: project.home, clock: held.clock });
    const running = project.nax(["run", "-f", "demo", "--parallel", "2"], { sys });
    // The second sleep is US-003's wait on the gate US-001's rate limit holds.
    await until("US-003's lane to wait for the reset", async () => held.asked.length >= 2, 20_000, 20);
    us003SessionsWhileHeld = (await project.claudeCalls()).filter((c) => c.prompt.includes("# Task: US-003")).length;
    us003StartedWhileHeld = dataOf(await readEvents(project), "story:started").some((d) => d.storyId === "US-003");
    held.release();
    result = await running;
  }, 30_000);
  afterAll(async () => {
    await project.cleanup();
  });

  test("while the reset is pending, the free lane has started US-003 but not its agent session", () => {
    expect(us003StartedWhileHeld).toBe(true);
    expect(us003SessionsWhileHeld).toBe(0);
  });

  test("US-003's session starts only after the reset, and every story passes on its first attempt", async () => {
    expect(result.code).toBe(0);
    const events = await readEvents(project);
    const limited = dataOf(events, "agent:rate-limited");
    expect(limited).toEqual([expect.objectContaining({ storyId: "US-001", waitMs: RESET_MS })]);
    const reset = Date.parse(String(limited[0]?.until));
    const next = ofType(events, "agent:session-started").find(
      (e) => (e.data as { storyId?: string }).storyId === "US-003",
    );
    expect(Date.parse(next?.at ?? "")).toBeGreaterThanOrEqual(reset);
    const stories = await readStories(project);
    expect(Object.values(stories).map((s) => [s.id, s.status, s.attempts])).toEqual([
      ["US-001", "passed", 1],
      ["US-002", "passed", 1],
      ["US-003", "passed", 1],
    ]);
  });
});
