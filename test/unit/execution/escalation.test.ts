import { describe, expect, test } from "bun:test";
import { defaultConfig } from "../../../src/config/schema";
import {
  buildLadder,
  createEscalationRecord,
  decideAfterFailure,
  planNextAttempt,
} from "../../../src/execution/escalation";
import type { PriorFailure } from "../../../src/prd/schema";

const escalation = defaultConfig().autoMode.escalation;

function failures(...tiers: string[]): PriorFailure[] {
  return tiers.map((tier, i) => ({ attempt: i + 1, tier, stage: "verify", summary: "tests failed", failingTests: [] }));
}

function story(tiers: string[], escalations: { fromTier: string; toTier: string }[] = []) {
  return {
    id: "US-001",
    priorFailures: failures(...tiers),
    escalations: escalations.map((e) => ({ ...e, reason: "r", at: "t" })),
  };
}

describe("escalation ladder", () => {
  test("starts at the initial tier and keeps the tiers above it with their budgets", () => {
    expect(buildLadder(escalation, "balanced")).toEqual([
      { tier: "balanced", budget: 3 },
      { tier: "powerful", budget: 2 },
    ]);
  });

  test("disabled escalation keeps only the first tier's budget", () => {
    expect(buildLadder({ ...escalation, enabled: false }, "fast")).toEqual([{ tier: "fast", budget: 3 }]);
  });

  test("an initial tier missing from tierOrder gets the first budget and then the whole order", () => {
    expect(buildLadder(escalation, "custom").map((r) => r.tier)).toEqual(["custom", "fast", "balanced", "powerful"]);
  });
});

describe("escalation state machine", () => {
  test("a fresh story runs its first attempt on the initial tier", () => {
    const record = createEscalationRecord(story([]), escalation, "fast");
    expect(planNextAttempt(record, 0)).toEqual({ kind: "run", tier: "fast", attempt: 1 });
  });

  test("retries on the same tier while that tier's budget lasts", () => {
    const record = createEscalationRecord(story(["fast", "fast"]), escalation, "fast");
    expect(decideAfterFailure(record, "fast")).toEqual({ kind: "retry", tier: "fast" });
    expect(planNextAttempt(record, 2)).toEqual({ kind: "run", tier: "fast", attempt: 3 });
  });

  test("escalates to the next tier once the tier's budget is spent", () => {
    const record = createEscalationRecord(story(["fast", "fast", "fast"]), escalation, "fast");
    expect(decideAfterFailure(record, "fast")).toEqual({ kind: "escalate", fromTier: "fast", toTier: "balanced" });
    expect(planNextAttempt(record, 3)).toEqual({ kind: "run", tier: "balanced", attempt: 4 });
  });

  test("walks fast x3, balanced x3, powerful x2 and then is exhausted", () => {
    const walked: string[] = [];
    const tiers: string[] = [];
    for (let i = 0; i < 20; i++) {
      const plan = planNextAttempt(createEscalationRecord(story(tiers), escalation, "fast"), tiers.length);
      if (plan.kind === "exhausted") break;
      walked.push(plan.tier);
      tiers.push(plan.tier);
      const decision = decideAfterFailure(createEscalationRecord(story(tiers), escalation, "fast"), plan.tier);
      if (decision.kind === "exhausted") break;
    }
    expect(walked).toEqual(["fast", "fast", "fast", "balanced", "balanced", "balanced", "powerful", "powerful"]);
    const final = createEscalationRecord(story(tiers), escalation, "fast");
    expect(decideAfterFailure(final, "powerful").kind).toBe("exhausted");
    expect(planNextAttempt(final, tiers.length).kind).toBe("exhausted");
  });

  test("with escalation disabled a spent first tier exhausts the story", () => {
    const record = createEscalationRecord(story(["fast", "fast", "fast"]), { ...escalation, enabled: false }, "fast");
    const decision = decideAfterFailure(record, "fast");
    expect(decision.kind).toBe("exhausted");
    if (decision.kind === "exhausted") expect(decision.reason).toContain("fast 3/3");
  });

  test("a recorded escalation moves the story up even when the lower tier has budget left", () => {
    const record = createEscalationRecord(
      story(["fast"], [{ fromTier: "fast", toTier: "powerful" }]),
      escalation,
      "fast",
    );
    expect(planNextAttempt(record, 1)).toEqual({ kind: "run", tier: "powerful", attempt: 2 });
  });

  test("an attempt a person granted on the top tier (a retry answer) runs once more there, then the story is spent again", () => {
    const spent = ["fast", "fast", "fast", "balanced", "balanced", "balanced", "powerful", "powerful"];
    const granted = { ...story(spent), grants: [{ tier: "powerful", at: "t" }] };
    expect(planNextAttempt(createEscalationRecord(granted, escalation, "fast"), 8)).toEqual({
      kind: "run",
      tier: "powerful",
      attempt: 9,
    });
    const again = { ...story([...spent, "powerful"]), grants: granted.grants };
    expect(planNextAttempt(createEscalationRecord(again, escalation, "fast"), 9).kind).toBe("exhausted");
  });
});
