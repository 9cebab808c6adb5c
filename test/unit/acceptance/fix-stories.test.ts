import { describe, expect, test } from "bun:test";
import { fixStoriesFor, fixTargets, isFixStory } from "../../../src/acceptance/fix-stories";
import type { AcceptanceEntry } from "../../../src/acceptance/state";
import type { Prd } from "../../../src/prd/schema";

const failing: AcceptanceEntry = {
  storyId: "US-001",
  criterionId: "AC-1",
  text: "add(1, 2) is 3",
  test: "acceptance/US-001-AC-1.test.ts",
  state: "failing",
  evidence: "expected 3, received -1",
  brokenBy: "US-002",
  amendments: [],
};

describe("fix stories for criteria failing at the end of a run", () => {
  test("each gets an id the PRD does not hold yet, counting up past earlier fix rounds", () => {
    const prd = { project: "p", feature: "f", userStories: [{ id: "US-001" }, { id: "US-001-AC-1-fix-1" }] } as Prd;
    const [fix] = fixStoriesFor(prd, [failing], "acceptance");
    expect(fix?.id).toBe("US-001-AC-1-fix-2");
  });

  test("a fix story is tagged with the criterion it is gated by and told whose merge broke it", () => {
    const [fix] = fixStoriesFor(
      { project: "p", feature: "f", userStories: [] } as unknown as Prd,
      [failing],
      "acceptance",
    );
    expect(fix && isFixStory(fix)).toBe(true);
    expect(fix && fixTargets(fix)).toEqual(["US-001/AC-1"]);
    expect(fix?.description).toContain("It passed until US-002 was merged.");
    expect(fix?.description).toContain("never change acceptance/");
  });
});
