import { describe, expect, test } from "bun:test";
import { defineStage } from "../../../src/pipeline/define-stage";
import { createManualClock } from "../../../src/system/clock";
import { eventsOf, makeContext } from "./helpers";

describe("defineStage", () => {
  test("emits stage:started and stage:completed exactly once each, with the action and the measured duration", async () => {
    const clock = createManualClock();
    const stage = defineStage({
      name: "verify",
      clock,
      async run() {
        clock.advance(250);
        return { action: "escalate", reason: "tests failed" };
      },
    });
    const { ctx, events } = makeContext();
    const result = await stage.run(ctx);
    expect(result).toEqual({ action: "escalate", reason: "tests failed" });
    expect(events.map((e) => e.type)).toEqual(["stage:started", "stage:completed"]);
    expect(eventsOf(events, "stage:completed")[0]).toEqual({
      stage: "verify",
      action: "escalate",
      durationMs: 250,
      reason: "tests failed",
    });
  });

  test("a stage that throws fails the story with the message and logs the cause", async () => {
    const stage = defineStage({
      name: "context",
      clock: createManualClock(),
      async run() {
        throw new Error("disk on fire");
      },
    });
    const { ctx, events, logger } = makeContext();
    const result = await stage.run(ctx);
    expect(result).toEqual({ action: "fail", reason: "context stage error: disk on fire" });
    expect(eventsOf(events, "stage:completed")).toHaveLength(1);
    const logged = logger.records.find((r) => r.level === "error");
    expect(logged?.message).toContain("disk on fire");
    expect(String(logged?.data?.cause)).toContain("disk on fire");
  });

  test("a throw while the run is being aborted becomes stop aborted, not a story failure", async () => {
    const controller = new AbortController();
    const stage = defineStage({
      name: "agent",
      clock: createManualClock(),
      async run() {
        controller.abort();
        throw new Error("The operation was aborted");
      },
    });
    const { ctx } = makeContext({ signal: controller.signal });
    const result = await stage.run(ctx);
    expect(result.action).toBe("stop");
    if (result.action === "stop") expect(result.reason).toBe("aborted");
  });

  test("a stage is enabled unless its definition says otherwise", () => {
    const clock = createManualClock();
    const always = defineStage({ name: "prompt", clock, run: async () => ({ action: "continue" }) });
    const never = defineStage({
      name: "rectify",
      clock,
      enabled: () => false,
      run: async () => ({ action: "continue" }),
    });
    const { ctx } = makeContext();
    expect(always.enabled(ctx)).toBe(true);
    expect(never.enabled(ctx)).toBe(false);
  });
});
