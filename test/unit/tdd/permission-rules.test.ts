import { describe, expect, test } from "bun:test";
import { disallowedToolsFor } from "../../../src/tdd/permission-rules";

describe("Claude Code permission rules per role", () => {
  test("the verifier may use no editing tool at all", () => {
    expect(disallowedToolsFor("verifier", ["**/*.test.*"])).toEqual(["Edit", "MultiEdit", "Write", "NotebookEdit"]);
  });

  test("the implementer may not edit a file matching any test glob", () => {
    const rules = disallowedToolsFor("implementer", ["**/*.test.*", "tests/**"]);
    expect(rules).toContain("Write(**/*.test.*)");
    expect(rules).toContain("Edit(tests/**)");
    expect(rules).toHaveLength(8);
  });

  test("the test writer gets no rule: deny rules cannot say only test files, the diff check does", () => {
    expect(disallowedToolsFor("test-writer", ["**/*.test.*"])).toEqual([]);
  });
});
