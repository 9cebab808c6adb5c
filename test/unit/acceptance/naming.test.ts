import { describe, expect, test } from "bun:test";
import { findCriterionTest, prdCriteria, testToken } from "../../../src/acceptance/naming";
import type { Prd } from "../../../src/prd/schema";

const ref = { storyId: "US-001", criterionId: "AC-1" };

describe("an acceptance test file maps back to its criterion by name", () => {
  test("the token is the story id and the criterion id", () => {
    expect(testToken(ref)).toBe("US-001-AC-1");
  });

  test("a file named with the token is found, whatever separators the runner's naming needs", () => {
    expect(findCriterionTest(["acceptance/US-001-AC-1.test.ts"], ref).file).toBe("acceptance/US-001-AC-1.test.ts");
    expect(findCriterionTest(["acceptance/test_US_001_AC_1.py"], ref).file).toBe("acceptance/test_US_001_AC_1.py");
    expect(findCriterionTest(["acceptance/us-001.ac-1.spec.js"], ref).file).toBe("acceptance/us-001.ac-1.spec.js");
  });

  test("AC-1 never matches AC-12, nor US-001 a longer story id", () => {
    const files = ["acceptance/US-001-AC-12.test.ts", "acceptance/XUS-001-AC-1.test.ts"];
    expect(findCriterionTest(files, ref)).toEqual({
      problem: "no file in the acceptance folder is named for US-001-AC-1",
    });
  });

  test("two files named for one criterion are a problem naming both, not a guess", () => {
    const found = findCriterionTest(["acceptance/US-001-AC-1.test.ts", "acceptance/a/US-001-AC-1.test.ts"], ref);
    expect(found.file).toBeUndefined();
    expect(found.problem).toContain("2 files are named for US-001-AC-1");
  });

  test("the PRD's criteria carry their recorded ids", () => {
    const prd = {
      project: "p",
      feature: "f",
      userStories: [{ id: "US-001", acceptanceCriteria: ["a", "b"], acceptanceCriteriaIds: ["AC-1", "AC-3"] }],
    } as unknown as Prd;
    expect(prdCriteria(prd)).toEqual([
      { storyId: "US-001", criterionId: "AC-1", text: "a" },
      { storyId: "US-001", criterionId: "AC-3", text: "b" },
    ]);
  });
});
