import { describe, expect, test } from "bun:test";
import { createBudget } from "../../../src/pipeline/budget";

describe("the run's cost budget", () => {
  test("adds each session's cost to the run and to the story it was for", () => {
    const budget = createBudget(5, 1);
    budget.add(0.25, "US-001");
    budget.add(0.5, "US-002");
    budget.add(0.25, "US-001");
    budget.add(0.1);
    expect(budget.spent()).toBeCloseTo(2.1, 10);
    expect(budget.spentOn("US-001")).toBeCloseTo(0.5, 10);
    expect(budget.spentOn("US-002")).toBeCloseTo(0.5, 10);
    expect(budget.spentOn("US-003")).toBe(0);
  });

  test("ignores negative and non-finite costs, which would lower the total", () => {
    const budget = createBudget(5);
    budget.add(-1, "US-001");
    budget.add(Number.NaN, "US-001");
    budget.add(Number.POSITIVE_INFINITY, "US-001");
    expect(budget.spent()).toBe(0);
    expect(budget.spentOn("US-001")).toBe(0);
  });
});
