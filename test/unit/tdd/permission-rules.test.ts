import { describe, expect, test } from "bun:test";
import { disallowedToolsFor, frozenFileRules } from "../../../src/tdd/permission-rules";

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

  test("a repair session after the freeze is refused edits of each frozen file; a path a rule would read as a pattern is left to the checks after it", () => {
    expect(frozenFileRules(["test/a.test.ts", "test/[id].test.ts", "test/b (2).test.ts"])).toEqual([
      "Edit(test/a.test.ts)",
      "MultiEdit(test/a.test.ts)",
      "Write(test/a.test.ts)",
      "NotebookEdit(test/a.test.ts)",
    ]);
  });
});
