import { describe, expect, test } from "bun:test";
import { parsePrd } from "../../../src/prd/load";
import { plannedOrder } from "../../../src/prd/select";

function prd(stories: unknown[]) {
  return parsePrd(JSON.stringify({ project: "p", feature: "f", userStories: stories }), "prd.json");
}

describe("dry-run plan", () => {
  test("orders stories by their dependencies without changing the PRD it was given", () => {
    const input = prd([
      { id: "C", title: "c", dependencies: ["B"] },
      { id: "A", title: "a" },
      { id: "B", title: "b", dependencies: ["A"] },
    ]);
    const before = JSON.stringify(input);
    expect(plannedOrder(input)).toEqual(["A", "B", "C"]);
    expect(JSON.stringify(input)).toBe(before);
  });

  test("leaves out stories already done and those behind a failed dependency", () => {
    const input = prd([
      { id: "A", title: "a", status: "passed" },
      { id: "B", title: "b", status: "failed" },
      { id: "C", title: "c", dependencies: ["B"] },
      { id: "D", title: "d", dependencies: ["A"] },
    ]);
    expect(plannedOrder(input)).toEqual(["D"]);
  });
});
