import { describe, expect, test } from "bun:test";
import { countStories } from "../../../src/prd/counts";
import { type Prd, PrdSchema } from "../../../src/prd/schema";
import { dependencyDead, isPrdComplete, plannedOrder, selectNextStory } from "../../../src/prd/select";

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

describe("the story index behind selection", () => {
  test("a story behind a failed story several links up the chain is dead, one beside it is not", () => {
    const prd = prdOf([
      { id: "A", status: "failed" },
      { id: "B", dependencies: ["A"] },
      { id: "C", dependencies: ["B"] },
      { id: "D" },
      { id: "E", dependencies: ["D"] },
    ]);
    const dead = prd.userStories.filter((s) => dependencyDead(prd, s)).map((s) => s.id);
    expect(dead).toEqual(["B", "C"]);
  });

  test("an updated PRD (a new stories array, as the store writes it) is answered afresh, not from the old index", () => {
    const before = prdOf([{ id: "A" }, { id: "B", dependencies: ["A"] }]);
    expect(selectNextStory(before)?.id).toBe("A");
    const after: Prd = {
      ...before,
      userStories: before.userStories.map((s) => (s.id === "A" ? { ...s, status: "passed" as const } : s)),
    };
    expect(selectNextStory(after)?.id).toBe("B");
    expect(selectNextStory(before)?.id).toBe("A");
  });

  test("a dependency cycle the loader missed ends the walk instead of recursing forever", () => {
    const prd = prdOf([
      { id: "A", dependencies: ["B"] },
      { id: "B", dependencies: ["A"] },
    ]);
    expect(prd.userStories.map((s) => dependencyDead(prd, s))).toEqual([false, false]);
    expect(selectNextStory(prd)).toBeUndefined();
  });

  test("the planned order on a long chain follows the dependencies", () => {
    const stories = Array.from({ length: 300 }, (_, i) => ({ id: `S${i}`, dependencies: i > 0 ? [`S${i - 1}`] : [] }));
    const prd = prdOf([...stories].reverse());
    expect(plannedOrder(prd)).toEqual(stories.map((s) => s.id));
  });
});
