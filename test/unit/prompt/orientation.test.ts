import { describe, expect, test } from "bun:test";
import { FULL_LIST_MAX, orientationText } from "../../../src/prompt/orientation";
import { makePrd, makeStory } from "../pipeline/helpers";

const id = (n: number) => `US-${String(n).padStart(4, "0")}`;

function prdOf(count: number, extra: (n: number) => Record<string, unknown> = () => ({})) {
  return makePrd(
    Array.from({ length: count }, (_, i) =>
      makeStory({ id: id(i + 1), title: `Story ${i + 1}`, status: i < 10 ? "passed" : "pending", ...extra(i + 1) }),
    ),
  );
}

describe("the prompt's orientation", () => {
  test("lists every story of a small PRD, marking this one", () => {
    const prd = prdOf(FULL_LIST_MAX);
    const text = orientationText(prd, prd.userStories[11]!);
    expect(text.split("\n").filter((l) => l.startsWith("- US-"))).toHaveLength(FULL_LIST_MAX);
    expect(text).toContain("- US-0012 — Story 12 [pending] (this story)");
    expect(text).not.toContain("other stories");
  });

  test("a large PRD lists this story's dependencies, dependants and neighbours, and counts the rest", () => {
    const prd = prdOf(2000, (n) =>
      n === 1500 ? { dependencies: [id(3)] } : n === 1900 ? { dependencies: [id(1500)] } : {},
    );
    const self = prd.userStories[1499]!;
    const text = orientationText(prd, self);
    const listed = text.split("\n").filter((l) => l.startsWith("- US-"));
    expect(listed.map((l) => l.slice(2, 9))).toEqual([
      id(3),
      ...Array.from({ length: 11 }, (_, i) => id(1495 + i)),
      id(1900),
    ]);
    expect(text).toContain("- US-1500 — Story 1500 [pending] (this story)");
    expect(text).toContain("(13 of 2000: this story, its dependencies");
    expect(text).toContain("- … and 1987 other stories (9 passed, 1978 pending)");
  });

  test("its size does not grow with the PRD", () => {
    const small = prdOf(100);
    const big = prdOf(5000);
    const sizeOf = (prd: typeof small) => orientationText(prd, prd.userStories[50]!).length;
    expect(sizeOf(big)).toBeLessThan(sizeOf(small) + 20);
  });

  test("the first story of a large PRD keeps the neighbours that exist", () => {
    const prd = prdOf(100);
    const text = orientationText(prd, prd.userStories[0]!);
    expect(text.split("\n").filter((l) => l.startsWith("- US-"))).toHaveLength(6);
  });
});
