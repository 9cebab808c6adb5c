import { describe, expect, test } from "bun:test";
import { attemptProvesTree, sealMerged } from "../../../src/isolation/green-gate";
import { editsOf, provenBy } from "../../../src/pipeline/gate-record";
import type { PipelineOutcome } from "../../../src/pipeline/pipeline";
import type { GateRun, StoryState } from "../../../src/pipeline/stage";
import { testResult } from "../../fakes/fake-test-runner";
import { eventsOf, makeContext } from "../pipeline/helpers";

const run = (gate: GateRun["gate"], passed: boolean, edit: number): GateRun => ({
  gate,
  command: "bun test",
  exitCode: passed ? 0 : 1,
  passed,
  durationMs: 5,
  edit,
});

function outcome(state: Partial<StoryState>): PipelineOutcome {
  return { kind: "passed", reason: "every stage passed", stage: "completion", state: { costUsd: 0, ...state } };
}

describe("a green gate on the final tree", () => {
  test("a passing verify at the attempt's last edit proves the tree", () => {
    const state = { edits: 2, gates: [run("verify", false, 1), run("verify", true, 2)] };
    expect(provenBy({ costUsd: 0, ...state })?.gate).toBe("verify");
    expect(attemptProvesTree(outcome(state))).toBe(true);
  });

  test("a gate before the attempt's last edit proves nothing, and lint or typecheck never do", () => {
    expect(attemptProvesTree(outcome({ edits: 3, gates: [run("verify", true, 2), run("lint", true, 3)] }))).toBe(false);
    expect(attemptProvesTree(outcome({ edits: 1, gates: [run("verify", false, 1)] }))).toBe(false);
    expect(editsOf({ costUsd: 0 })).toBe(0);
  });

  test("an unverified attempt (tests switched off) needs no proof: it is marked unverified instead", () => {
    expect(attemptProvesTree(outcome({ unverified: "quality.requireTests is false" }))).toBe(true);
  });

  test("the merged commit is sealed with the landing gate when one ran, else with the attempt's proof", () => {
    const { ctx, events } = makeContext();
    const proven = outcome({ edits: 1, gates: [run("verify", true, 1)] });
    sealMerged(ctx, proven, undefined, "abc123");
    const landed = sealMerged(ctx, outcome({ edits: 2 }), testResult({ passed: true, passedCount: 4 }), "def456");
    expect(eventsOf(events, "ledger:sealed").map((e) => [e.commit, e.provenBy])).toEqual([
      ["abc123", "verify"],
      ["def456", "land"],
    ]);
    expect(eventsOf(events, "gate:ran")).toMatchObject([{ gate: "land", passed: true, commit: "def456", edit: 2 }]);
    expect(landed.gates?.at(-1)?.gate).toBe("land");
  });
});
