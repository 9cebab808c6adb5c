import { describe, expect, test } from "bun:test";
import { countShownStories, readinessOf } from "../../../src/prd/readiness";
import { type Prd, PrdSchema } from "../../../src/prd/schema";
import { selectNextStory } from "../../../src/prd/select";

const prdOf = (stories: Array<Record<string, unknown>>): Prd =>
  PrdSchema.parse({ project: "p", feature: "f", userStories: stories.map((s) => ({ title: "t", ...s })) });

const story = (prd: Prd, id: string) => prd.userStories.find((s) => s.id === id)!;

describe("story readiness (one rule for selection, status and diagnose)", () => {
  const prd = prdOf([
    { id: "A", status: "failed" },
    { id: "B", dependencies: ["A"] },
    { id: "C", dependencies: ["B"] },
    { id: "D", status: "passed" },
    { id: "E", dependencies: ["D"] },
    { id: "F", dependencies: ["E"] },
    { id: "G", status: "paused" },
    { id: "H", dependencies: ["G", "D"] },
  ]);
  const index = readinessOf(prd);

  test("a dependant of a failed story is blocked, directly and through another pending story", () => {
    expect(index.of(story(prd, "B"))).toBe("blocked");
    expect(index.of(story(prd, "C"))).toBe("blocked");
    expect(index.shownStatus(story(prd, "C"))).toBe("blocked");
    expect(index.blockedBy(story(prd, "C"))).toEqual(["B"]);
  });

  test("a story whose dependencies passed is ready, one behind a pending story is waiting", () => {
    expect(index.of(story(prd, "E"))).toBe("ready");
    expect(index.of(story(prd, "F"))).toBe("waiting");
    expect(index.shownStatus(story(prd, "F"))).toBe("pending");
  });

  test("a paused dependency blocks and is named as the reason", () => {
    expect(index.blockedBy(story(prd, "H"))).toEqual(["G"]);
  });

  test("the story loop selects only ready stories, never a blocked one", () => {
    expect(selectNextStory(prd)?.id).toBe("E");
  });

  test("readers count blocked dependants as blocked, not pending", () => {
    expect(countShownStories(prd)).toMatchObject({ failed: 1, paused: 1, blocked: 3, pending: 2, passed: 1 });
  });

  test("a 2,000-story chain is judged without recursion blowing up", () => {
    const chain = prdOf(
      Array.from({ length: 2000 }, (_, i) => ({
        id: `S${i}`,
        ...(i === 0 ? { status: "failed" } : { dependencies: [`S${i - 1}`] }),
      })),
    );
    expect(countShownStories(chain).blocked).toBe(1999);
  });
});
