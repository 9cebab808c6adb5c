import { describe, expect, test } from "bun:test";
import type { Prd, UserStory } from "../../../src/prd/schema";
import { serializePrd } from "../../../src/prd/serialize";

const plain = (prd: unknown) => `${JSON.stringify(prd, null, 2)}\n`;

function story(id: string, extra: Record<string, unknown> = {}): UserStory {
  return {
    id,
    title: `Story ${id} "quoted" \\ back\nslash`,
    description: "ünïcødé ✓ and a tab\t",
    acceptanceCriteria: ["one", "two"],
    status: "pending",
    attempts: 0,
    ...extra,
  } as unknown as UserStory;
}

describe("serializePrd", () => {
  test("writes exactly JSON.stringify(prd, null, 2) and a newline, whatever the PRD holds", () => {
    const prds = [
      { project: "p", feature: "f", userStories: [] },
      { project: "p", feature: "f", userStories: [story("US-001")] },
      {
        // Keys around the stories, ones nax does not know, nested values, and a field after the stories.
        project: "p",
        branchName: "nax/f",
        userStories: [
          story("US-001", { dependencies: ["US-000"], routing: { complexity: "simple", nested: { deep: [1, null] } } }),
          story("US-002", { notes: "", priorFailures: [{ reason: "x", at: "2026-12-03T00:00:00Z" }], custom: {} }),
        ],
        feature: "f",
        updatedAt: "2026-12-03T00:00:00Z",
        toolData: { userStories: "a decoy", '\n  "userStories": ': 1 },
      },
    ];
    for (const prd of prds) expect(serializePrd(prd as unknown as Prd)).toBe(plain(prd));
  });

  test("a story replaced by a changed copy is written as changed; the others keep their bytes", () => {
    const first = story("US-001");
    const second = story("US-002");
    const before = { project: "p", feature: "f", userStories: [first, second] } as unknown as Prd;
    expect(serializePrd(before)).toBe(plain(before));
    // What the store does: a copy with the change, every other story the same object.
    const changed = { ...second, status: "passed", attempts: 1 } as UserStory;
    const after = { ...before, userStories: [first, changed], updatedAt: "2026-12-03T01:00:00Z" } as Prd;
    expect(serializePrd(after)).toBe(plain(after));
    expect(serializePrd(after)).toContain('"status": "passed"');
  });
});
