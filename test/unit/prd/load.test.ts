import { describe, expect, test } from "bun:test";
import { isNaxError } from "../../../src/errors";
import { PRD_MAX_BYTES, parsePrd, serializePrd } from "../../../src/prd/load";
import { MAX_STORY_ID_LENGTH } from "../../../src/prd/schema";

const story = (id: string, extra: Record<string, unknown> = {}) => ({ id, title: `Story ${id}`, ...extra });
const prdText = (stories: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ project: "p", feature: "f", userStories: stories, ...extra });

function problemOf(text: string): string {
  try {
    parsePrd(text, "nax/features/f/prd.json");
  } catch (error) {
    expect(isNaxError(error, "PRD_INVALID")).toBe(true);
    return (error as Error).message;
  }
  throw new Error("expected the PRD to be rejected");
}

describe("parsePrd", () => {
  test("fills defaults for status and attempts", () => {
    const prd = parsePrd(prdText([story("US-001")]), "prd.json");
    expect(prd.userStories[0]?.status).toBe("pending");
    expect(prd.userStories[0]?.attempts).toBe(0);
  });

  test("keeps fields it does not know through a rewrite", () => {
    const prd = parsePrd(prdText([story("US-001", { owner: "ana" })], { version: "0.3" }), "prd.json");
    const again = JSON.parse(serializePrd(prd));
    expect(again.version).toBe("0.3");
    expect(again.userStories[0].owner).toBe("ana");
  });

  test("rejects a story id longer than the limit, naming the story and the limit", () => {
    const message = problemOf(prdText([story("U".repeat(MAX_STORY_ID_LENGTH + 1))]));
    expect(message).toContain("userStories[0].id");
    expect(message).toContain(`at most ${MAX_STORY_ID_LENGTH} characters`);
    expect(parsePrd(prdText([story("U".repeat(MAX_STORY_ID_LENGTH))]), "prd.json").userStories).toHaveLength(1);
  });

  test("rejects duplicate story ids, naming both places (trap 23)", () => {
    const message = problemOf(prdText([story("US-001"), story("US-001")]));
    expect(message).toContain("userStories[1].id");
    expect(message).toContain('duplicate story id "US-001"');
  });

  test("rejects a dependency on a story that does not exist", () => {
    const message = problemOf(prdText([story("US-001", { dependencies: ["US-009"] })]));
    expect(message).toContain('userStories[0].dependencies[0]: "US-009" is not a story id');
  });

  test("rejects a dependency cycle and shows it", () => {
    const message = problemOf(
      prdText([
        story("A", { dependencies: ["B"] }),
        story("B", { dependencies: ["C"] }),
        story("C", { dependencies: ["A"] }),
      ]),
    );
    expect(message).toMatch(/dependency cycle A -> B -> C -> A/);
  });

  test("rejects ids with characters outside letters, digits, '.', '_' and '-', without promising branches made from ids", () => {
    const message = problemOf(prdText([story("US 1/../x")]));
    expect(message).toContain("userStories[0].id");
    expect(message).toContain("letters, digits");
    expect(message).not.toContain("branch");
  });

  test("rejects invalid JSON with the file name", () => {
    expect(problemOf("{")).toContain("nax/features/f/prd.json: not valid JSON");
  });

  test("rejects a missing required field with its path", () => {
    expect(problemOf(prdText([{ id: "US-001" }]))).toContain("userStories[0].title");
  });

  test("rejects files over 5 MB", () => {
    const big = prdText([story("US-001", { description: "x".repeat(PRD_MAX_BYTES) })]);
    expect(problemOf(big)).toContain("larger than 5 MB");
  });
});
