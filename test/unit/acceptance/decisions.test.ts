import { describe, expect, test } from "bun:test";
import { findEntry, replaceEntry, withOverride } from "../../../src/acceptance/decisions";
import { type AcceptanceFile, displayState } from "../../../src/acceptance/state";

const entry = (storyId: string, criterionId: string) => ({
  storyId,
  criterionId,
  text: `${storyId} ${criterionId}`,
  state: "failing" as const,
  evidence: "",
  amendments: [],
});
const state: AcceptanceFile = {
  version: 1,
  feature: "f",
  folder: "acceptance",
  criteria: [entry("US-001", "AC-1"), entry("US-001", "AC-2"), entry("US-002", "AC-1")],
};

describe("naming a criterion for nax accept", () => {
  test("story/AC and story-AC name one criterion; a bare AC id only when one story has it", () => {
    const keyOf = (name: string) => {
      const found = findEntry(state, name);
      return found.ok ? `${found.entry.storyId}/${found.entry.criterionId}` : found.problem;
    };
    expect(keyOf("US-002/AC-1")).toBe("US-002/AC-1");
    expect(keyOf("US-001-AC-2")).toBe("US-001/AC-2");
    expect(keyOf("AC-2")).toBe("US-001/AC-2");
    expect(keyOf("AC-1")).toContain('"AC-1" names 2 criteria (US-001/AC-1, US-002/AC-1)');
    expect(keyOf("AC-7")).toContain('no acceptance criterion "AC-7" (known: US-001/AC-1, US-001/AC-2, US-002/AC-1)');
  });

  test("an override is recorded beside the test's own state, which it outranks in the list", () => {
    const decided = withOverride(entry("US-002", "AC-1"), { reason: "wanted", by: "me@host", at: "t" });
    const next = replaceEntry(state, decided);
    expect(next.criteria[2]).toMatchObject({ state: "failing", override: { reason: "wanted", by: "me@host" } });
    expect(displayState(next.criteria[2] as (typeof next.criteria)[number])).toBe("overridden");
    expect(next.criteria[0]?.override).toBeUndefined();
  });
});
