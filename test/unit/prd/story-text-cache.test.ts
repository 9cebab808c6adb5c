import { describe, expect, test } from "bun:test";
import { parsePrd, serializePrd } from "../../../src/prd/load";
import type { Prd, UserStory } from "../../../src/prd/schema";
import { createPrdSerializer, freezeStories, prdBytesText } from "../../../src/prd/story-text-cache";

/** A PRD with the shapes a real one holds: nested history, unicode, newlines and quotes in values, unknown keys. */
function samplePrd(count: number): Prd {
  const stories = Array.from({ length: count }, (_, i) => ({
    id: `US-${String(i + 1).padStart(3, "0")}`,
    title: i % 3 === 0 ? `Line one\nline "two" — ünïcödé ${i}` : `Story ${i}`,
    acceptanceCriteria: i % 2 === 0 ? [`criterion ${i}`, "another\tone"] : ["x"],
    dependencies: i > 0 ? [`US-${String(i).padStart(3, "0")}`] : [],
    status: i % 4 === 0 ? "passed" : "pending",
    attempts: i % 5,
    ...(i % 3 === 1
      ? {
          priorFailures: [
            { attempt: 1, tier: "fast", stage: "verify", reason: "tests failed", failingTests: ["a > b"], at: "t" },
          ],
        }
      : {}),
    ...(i % 7 === 0 ? { customKey: { nested: { deep: [1, { two: "\u2028" }] }, empty: {}, none: [] } } : {}),
  }));
  return parsePrd(
    JSON.stringify({ project: "p", feature: "f", branchName: "feat/x", userStories: stories, extra: { a: [] } }),
    "prd.json",
  );
}

describe("the PRD's text from per-story pieces", () => {
  test("is byte for byte what serializePrd writes, for a PRD of many shapes, after stories are replaced, and empty", () => {
    const serializer = createPrdSerializer((text) => Buffer.from(text, "utf8"));
    const serialize = (prd: Prd) => prdBytesText(serializer(prd));
    const prd = { ...samplePrd(40), userStories: freezeStories(samplePrd(40).userStories) as UserStory[] };
    expect(serialize(prd)).toBe(serializePrd(prd));
    // A save replaces one story object and keeps the rest: the cached pieces of the rest must still fit.
    const replaced = prd.userStories.map((s, i) => (i === 7 ? { ...s, status: "passed" as const, attempts: 9 } : s));
    const next = { ...prd, updatedAt: "2026-12-03T00:00:00.000Z", userStories: freezeStories(replaced) as UserStory[] };
    expect(serialize(next)).toBe(serializePrd(next));
    expect(serialize(next)).toContain('"attempts": 9');
    const appended = { ...next, userStories: [...next.userStories, { id: "US-999", title: "new" } as UserStory] };
    expect(serialize(appended)).toBe(serializePrd(appended));
    const empty = { ...prd, userStories: [] };
    expect(serialize(empty)).toBe(serializePrd(empty));
  });

  test("a frozen story cannot be changed in place, so a cached piece never goes stale", () => {
    const prd = samplePrd(3);
    const [first] = freezeStories(prd.userStories);
    expect(() => {
      (first as { status: string }).status = "failed";
    }).toThrow(TypeError);
    expect(() => {
      (prd.userStories[1] as { priorFailures: unknown[] }).priorFailures.push({});
    }).toThrow(TypeError);
  });
});
