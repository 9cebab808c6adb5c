import { describe, expect, test } from "bun:test";
import { parsePrd, serializePrd } from "../../../src/prd/load";
import { createPrdSerializer, freezeStory } from "../../../src/prd/serialize";

const prd = parsePrd(
  JSON.stringify({
    project: "p",
    note: 'a "quoted"\nline \u0000nax:userStories\u0000 and \\u0000',
    userStories: [
      { id: "US-1", title: "multi\nline", acceptanceCriteria: ["a", "b"], nested: { deep: [1, { x: null }] } },
      { id: "US-2", title: "ünïcode ✓", dependencies: ["US-1"], empty: [], obj: {} },
    ],
    feature: "f",
    trailing: { after: [] },
  }),
  "prd.json",
);

describe("the store's story-by-story serializer", () => {
  test("writes byte for byte what serializePrd writes, whatever the key order and text", () => {
    expect(createPrdSerializer()(prd)).toBe(serializePrd(prd));
    const none = { ...prd, userStories: [] };
    expect(createPrdSerializer()(none)).toBe(serializePrd(none));
  });

  test("after one story is replaced, the text is that of the new PRD (cached stories are reused, not stale)", () => {
    const serialize = createPrdSerializer();
    serialize(prd);
    const [first, second] = prd.userStories;
    const next = { ...prd, userStories: [first!, { ...second!, status: "passed" as const }] };
    expect(serialize(next)).toBe(serializePrd(next));
    expect(JSON.parse(serialize(next)).userStories[1].status).toBe("passed");
  });

  test("a frozen story cannot be changed in place, so its cached JSON cannot go stale", () => {
    const story = freezeStory(structuredClone(prd.userStories[0]!));
    expect(() => {
      (story as { title: string }).title = "changed";
    }).toThrow();
    expect(() => (story.acceptanceCriteria as string[]).push("c")).toThrow();
  });
});
