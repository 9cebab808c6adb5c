import { describe, expect, test } from "bun:test";
import { assignCriterionIds, findCriterionIdProblems, storyCriteria } from "../../../src/prd/criteria";
import { parsePrd } from "../../../src/prd/load";

const prdText = (story: Record<string, unknown>) =>
  JSON.stringify({ project: "p", feature: "f", userStories: [{ id: "US-001", title: "t", ...story }] });

describe("acceptance-criterion ids", () => {
  test("a story without recorded ids numbers its criteria by position", () => {
    expect(storyCriteria({ acceptanceCriteria: ["a", "b"] })).toEqual([
      { id: "AC-1", text: "a" },
      { id: "AC-2", text: "b" },
    ]);
  });

  test("recorded ids are used as written, in the criteria's order", () => {
    const story = { acceptanceCriteria: ["a", "b"], acceptanceCriteriaIds: ["AC-3", "AC-1"] };
    expect(storyCriteria(story).map((c) => c.id)).toEqual(["AC-3", "AC-1"]);
  });

  test("a first plan numbers the criteria from AC-1", () => {
    expect(assignCriterionIds(["a", "b", "c"])).toEqual(["AC-1", "AC-2", "AC-3"]);
  });

  test("a re-plan keeps the id of every unchanged text, wherever it moved, ignoring whitespace", () => {
    const previous = { acceptanceCriteria: ["cart shows the total", "empty cart says so"] };
    expect(assignCriterionIds(["empty cart  says so", "cart shows the total"], previous)).toEqual(["AC-2", "AC-1"]);
  });

  test("a changed or new text gets a number above every id the story used, so no id is reused", () => {
    const previous = { acceptanceCriteria: ["a", "b", "c"], acceptanceCriteriaIds: ["AC-1", "AC-2", "AC-5"] };
    expect(assignCriterionIds(["a", "b changed", "new"], previous)).toEqual(["AC-1", "AC-6", "AC-7"]);
  });

  test("two equal texts get two ids", () => {
    const previous = { acceptanceCriteria: ["same"] };
    expect(assignCriterionIds(["same", "same"], previous)).toEqual(["AC-1", "AC-2"]);
  });

  test("an id list of the wrong length is a problem that names the next free id", () => {
    const problems = findCriterionIdProblems(
      { acceptanceCriteria: ["a", "b", "c"], acceptanceCriteriaIds: ["AC-1", "AC-2"] },
      "userStories[0]",
    );
    expect(problems).toEqual([
      "userStories[0].acceptanceCriteriaIds: 2 ids for 3 acceptance criteria; give each criterion its id in the same order (the next unused one is AC-3), or remove acceptanceCriteriaIds to number them by position",
    ]);
  });

  test("an id used twice in a story is a problem", () => {
    const problems = findCriterionIdProblems(
      { acceptanceCriteria: ["a", "b"], acceptanceCriteriaIds: ["AC-1", "AC-1"] },
      "userStories[0]",
    );
    expect(problems).toEqual(['userStories[0].acceptanceCriteriaIds[1]: "AC-1" is used twice in this story']);
  });

  test("an older prd.json with plain criteria loads unchanged, and one with ids keeps them", () => {
    const old = parsePrd(prdText({ acceptanceCriteria: ["a"] }), "prd.json");
    expect(old.userStories[0]?.acceptanceCriteriaIds).toBeUndefined();
    const planned = parsePrd(prdText({ acceptanceCriteria: ["a"], acceptanceCriteriaIds: ["AC-4"] }), "prd.json");
    expect(planned.userStories[0]?.acceptanceCriteriaIds).toEqual(["AC-4"]);
  });

  test("loading refuses a malformed id and a mismatched id list, naming the field", () => {
    expect(() => parsePrd(prdText({ acceptanceCriteria: ["a"], acceptanceCriteriaIds: ["X-1"] }), "prd.json")).toThrow(
      'prd.json: userStories[0].acceptanceCriteriaIds[0]: criterion ids look like "AC-1", "AC-2"...',
    );
    expect(() => parsePrd(prdText({ acceptanceCriteria: ["a"], acceptanceCriteriaIds: [] }), "prd.json")).toThrow(
      "prd.json: userStories[0].acceptanceCriteriaIds: 0 ids for 1 acceptance criteria",
    );
  });
});
