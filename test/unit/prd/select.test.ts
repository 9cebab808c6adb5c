import { describe, expect, test } from "bun:test";
import { countStories } from "../../../src/prd/counts";
import { type Prd, PrdSchema } from "../../../src/prd/schema";
import { dependencyDead, isPrdComplete, selectNextStory } from "../../../src/prd/select";

const prdOf = (stories: Array<Record<string, unknown>>): Prd =>
  PrdSchema.parse({ project: "p", feature: "f", userStories: stories.map((s) => ({ title: "t", ...s })) });

describe("selectNextStory", () => {
  test("picks pending stories in order once their dependencies passed", () => {
    const prd = prdOf([{ id: "A", dependencies: ["B"] }, { id: "B" }]);
    expect(selectNextStory(prd)?.id).toBe("B");
  });

  test("a skipped dependency counts as done", () => {
    const prd = prdOf([
      { id: "A", status: "skipped" },
      { id: "B", dependencies: ["A"] },
    ]);
    expect(selectNextStory(prd)?.id).toBe("B");
  });

  test("a story mid-retry goes first", () => {
    const prd = prdOf([{ id: "A" }, { id: "B", attempts: 1 }]);
    expect(selectNextStory(prd)?.id).toBe("B");
  });

  test("dependants of a failed story are never selected", () => {
    const prd = prdOf([
      { id: "A", status: "failed" },
      { id: "B", dependencies: ["A"] },
      { id: "C", dependencies: ["B"] },
    ]);
    expect(selectNextStory(prd)).toBeUndefined();
    expect(dependencyDead(prd, prd.userStories[2]!)).toBe(true);
  });

  test("complete only when every story passed or was skipped", () => {
    expect(
      isPrdComplete(
        prdOf([
          { id: "A", status: "passed" },
          { id: "B", status: "skipped" },
        ]),
      ),
    ).toBe(true);
    expect(isPrdComplete(prdOf([{ id: "A", status: "passed" }, { id: "B" }]))).toBe(false);
  });

  test("counts put in-progress stories with pending ones", () => {
    const counts = countStories(
      prdOf([{ id: "A", status: "in-progress" }, { id: "B", status: "passed" }, { id: "C" }]),
    );
    expect(counts).toEqual({ total: 3, passed: 1, failed: 0, paused: 0, blocked: 0, skipped: 0, pending: 2 });
  });
});
