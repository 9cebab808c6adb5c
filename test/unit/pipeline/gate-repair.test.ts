import { describe, expect, test } from "bun:test";
import { defineStage } from "../../../src/pipeline/define-stage";
import { gateWithRepair, type Repair, repairsUsed } from "../../../src/pipeline/gate-repair";
import { runPipeline } from "../../../src/pipeline/pipeline";
import type { StoryState } from "../../../src/pipeline/stage";
import { createManualClock } from "../../../src/system/clock";
import { eventsOf, makeContext, stageRuns } from "./helpers";

const clock = createManualClock();

/** A gate that passes once it has seen `failures` failing checks; its result is left as data in `state.contextText`. */
function countingGate(failures: number) {
  let runs = 0;
  return {
    name: "verify",
    clock,
    run: async () => {
      runs++;
      return { action: "continue" as const, patch: { contextText: runs > failures ? "green" : "red" } };
    },
  };
}

function repair(overrides: Partial<Repair> = {}): Repair {
  return {
    name: "rectify",
    needsRepair: (state: StoryState) => state.contextText === "red",
    cap: () => 2,
    exhausted: (_ctx, used) => ({ action: "escalate", reason: `still red after ${used}` }),
    round: async (_ctx, round) => ({ action: "retry", fromStage: "verify", reason: `round ${round}` }),
    ...overrides,
  };
}

describe("the gate/repair combinator", () => {
  test("a passing gate never runs its repair stage", async () => {
    const { ctx, events } = makeContext();
    const outcome = await runPipeline(gateWithRepair(countingGate(0), repair()), ctx, { maxRetries: 9 });
    expect(outcome.kind).toBe("passed");
    expect(stageRuns(events)).toEqual({ verify: 1 });
  });

  test("the combinator counts the rounds and the repair passes once the gate does", async () => {
    const { ctx, events } = makeContext();
    const outcome = await runPipeline(gateWithRepair(countingGate(2), repair()), ctx, { maxRetries: 9 });
    expect(outcome.kind).toBe("passed");
    expect(repairsUsed(outcome.state, "rectify")).toBe(2);
    expect(stageRuns(events)).toEqual({ verify: 3, rectify: 2 });
  });

  test("the cap is the combinator's: once used up the repair's own escalation is returned and no round runs", async () => {
    const { ctx } = makeContext();
    const rounds: number[] = [];
    const capped = repair({
      round: async (_ctx, round) => {
        rounds.push(round);
        return { action: "retry", fromStage: "verify", reason: `round ${round}` };
      },
    });
    const outcome = await runPipeline(gateWithRepair(countingGate(9), capped), ctx, { maxRetries: 9 });
    expect(outcome).toMatchObject({ kind: "escalate", reason: "still red after 2", stage: "rectify" });
    expect(rounds).toEqual([1, 2]);
  });

  test("a disabled repair escalates at the first failure; a `before` check stops without spending a round", async () => {
    const off = makeContext();
    const disabled = repair({ disabled: () => ({ action: "escalate", reason: "repair off" }) });
    expect((await runPipeline(gateWithRepair(countingGate(1), disabled), off.ctx, { maxRetries: 9 })).reason).toBe(
      "repair off",
    );
    const held = makeContext();
    const stopped = repair({ before: () => ({ action: "stop", reason: "cost-limit", detail: "spent" }) });
    const outcome = await runPipeline(gateWithRepair(countingGate(1), stopped), held.ctx, { maxRetries: 9 });
    expect(outcome.kind).toBe("stop");
    expect(repairsUsed(outcome.state, "rectify")).toBe(0);
  });

  test("an inline repair is decided inside the gate's own stage: one stage name, the gate's events only", async () => {
    const { ctx, events } = makeContext();
    const agent = defineStage({ name: "agent", clock, run: async () => ({ action: "continue" }) });
    const inline = repair({
      name: "regression",
      inline: true,
      round: async () => ({ action: "retry", fromStage: "agent", reason: "again" }),
    });
    const outcome = await runPipeline([agent, ...gateWithRepair(countingGate(1), inline)], ctx, { maxRetries: 9 });
    expect(outcome.kind).toBe("passed");
    expect(stageRuns(events)).toEqual({ agent: 2, verify: 2 });
    expect(repairsUsed(outcome.state, "regression")).toBe(1);
    expect(eventsOf(events, "stage:completed").map((e) => e.action)).toEqual([
      "continue",
      "retry",
      "continue",
      "continue",
    ]);
  });
});
