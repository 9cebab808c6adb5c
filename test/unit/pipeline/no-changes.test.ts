/**
 * An attempt that changed nothing is not a pass (trap 28, docs/traps.md):
 * the first time it goes back with the `no-changes` feedback, the second
 * time the story fails outright.
 */
import { describe, expect, test } from "bun:test";
import { NO_CHANGES, noChangesOutcome } from "../../../src/pipeline/no-changes";
import type { PriorFailure } from "../../../src/prd/schema";
import { makeContext, makeHarness } from "./helpers";

const noChangesBefore: PriorFailure = {
  attempt: 1,
  tier: "fast",
  stage: "completion",
  reason: "no-changes: ...",
  summary: "no-changes: ...",
  failingTests: [],
  category: NO_CHANGES,
};

describe("noChangesOutcome", () => {
  test("a change outside nax/ (tracked or untracked) is a change", async () => {
    const { ctx } = makeContext({ state: { baseRef: "base" } });
    expect(await noChangesOutcome(ctx, async () => ["nax/features/greeting/prd.json", "src/greet.ts"])).toBeUndefined();
  });

  test("only nax's own files changed: the first time the attempt is sent back with the no-changes feedback", async () => {
    const { ctx } = makeContext({ state: { baseRef: "base" } });
    const seen: string[] = [];
    const outcome = await noChangesOutcome(ctx, async (cwd, base) => {
      seen.push(`${cwd}@${base}`);
      return ["nax/features/greeting/prd.json"];
    });
    expect(seen).toEqual(["/tmp/nax-project@base"]);
    expect(outcome).toMatchObject({ action: "escalate", patch: { failureCategory: "no-changes" } });
    expect(outcome && "reason" in outcome ? outcome.reason : "").toContain("no-changes: the attempt left no change");
  });

  test("after an earlier no-changes failure the story fails outright with 'the agent made no changes'", async () => {
    const { ctx } = makeContext({ state: { baseRef: "base" }, priorFailures: [noChangesBefore] });
    const outcome = await noChangesOutcome(ctx, async () => []);
    expect(outcome).toMatchObject({ action: "fail", patch: { failureCategory: "no-changes" } });
    expect(outcome && "reason" in outcome ? outcome.reason : "").toContain("the agent made no changes");
  });

  test("the integrity stage's snapshot against the same base is used without asking git; another base asks", async () => {
    const asked: string[] = [];
    const changedFiles = async (_cwd: string, base: string) => {
      asked.push(base);
      return ["src/greet.ts"];
    };
    const same = makeContext({ state: { baseRef: "base", treeChanges: { baseRef: "base", paths: ["nax/x.json"] } } });
    expect(await noChangesOutcome(same.ctx, changedFiles)).toMatchObject({ action: "escalate" });
    expect(asked).toEqual([]);
    const other = makeContext({ state: { baseRef: "base", treeChanges: { baseRef: "old", paths: [] } } });
    expect(await noChangesOutcome(other.ctx, changedFiles)).toBeUndefined();
    expect(asked).toEqual(["base"]);
  });

  test("a file renamed into nax/ still counts as a change: the snapshot keeps the old path", async () => {
    const { ctx } = makeContext({
      state: { baseRef: "base", treeChanges: { baseRef: "base", paths: ["nax/moved.ts", "src/moved.ts"] } },
    });
    expect(await noChangesOutcome(ctx, async () => [])).toBeUndefined();
  });

  test("without a start commit nothing can be compared, so nothing is judged", async () => {
    const { ctx } = makeContext();
    expect(await noChangesOutcome(ctx, async () => [])).toBeUndefined();
  });
});

describe("the completion stage", () => {
  test("an attempt whose tests pass but that changed nothing is neither marked passed nor committed", async () => {
    const h = makeHarness({ changed: ["nax/features/greeting/prd.json"] });
    const outcome = await h.run();
    expect(outcome.kind).toBe("escalate");
    expect(outcome.stage).toBe("completion");
    expect(outcome.state.failureCategory).toBe("no-changes");
    expect(h.marked).toEqual([]);
    expect(h.commits).toEqual([]);
  });

  test("an attempt that changed a file passes and is committed", async () => {
    const h = makeHarness({ changed: ["src/greet.ts"] });
    expect((await h.run()).kind).toBe("passed");
    expect(h.commits).toEqual(["US-001"]);
  });
});
