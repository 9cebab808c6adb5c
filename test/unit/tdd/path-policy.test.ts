import { describe, expect, test } from "bun:test";
import { describeBreaches, judgeSessionChanges } from "../../../src/tdd/path-policy";
import type { PathChange } from "../../../src/tdd/session-changes";

const isTest = (path: string) => /\.test\.\w+$/.test(path) || path.startsWith("test/");

function judge(role: "test-writer" | "implementer" | "verifier", changes: PathChange[], lite = false) {
  return judgeSessionChanges({
    role,
    strategy: lite ? "three-session-tdd-lite" : "three-session-tdd",
    changes,
    isTest,
  });
}

describe("path policy", () => {
  test("a test writer that only adds and edits test files is within its role", () => {
    expect(judge("test-writer", [{ path: "test/a.test.ts", kind: "untracked" }]).ok).toBe(true);
  });

  test("a test writer that touches a source file, anywhere, is an isolation-violation", () => {
    const verdict = judge("test-writer", [
      { path: "test/a.test.ts", kind: "untracked" },
      { path: "app/server/handler.py", kind: "modified" },
    ]);
    expect(verdict).toEqual({
      ok: false,
      category: "isolation-violation",
      breaches: [{ path: "app/server/handler.py", kind: "modified", why: "the test writer may touch only test files" }],
    });
  });

  test("the lite test writer may add new stub files but not edit, delete or rename existing ones", () => {
    expect(judge("test-writer", [{ path: "src/stub.ts", kind: "untracked" }], true).ok).toBe(true);
    for (const change of [
      { path: "src/a.ts", kind: "modified" },
      { path: "src/a.ts", kind: "deleted" },
      { path: "src/b.ts", kind: "renamed", from: "src/a.ts" },
    ] as PathChange[]) {
      expect(judge("test-writer", [change], true).ok).toBe(false);
    }
  });

  test("an implementer that edits, deletes, renames or adds a test file is an isolation-violation", () => {
    for (const change of [
      { path: "test/a.test.ts", kind: "modified" },
      { path: "test/a.test.ts", kind: "deleted" },
      { path: "src/a.ts", kind: "renamed", from: "test/a.test.ts" },
      { path: "src/extra.test.ts", kind: "untracked" },
    ] as PathChange[]) {
      const verdict = judge("implementer", [{ path: "src/a.ts", kind: "modified" }, change]);
      expect(verdict.ok).toBe(false);
    }
    expect(judge("implementer", [{ path: "src/a.ts", kind: "modified" }]).ok).toBe(true);
  });

  test("a verifier that changes anything is an isolation-violation, and the description names the file", () => {
    const verdict = judge("verifier", [{ path: "README.md", kind: "modified" }]);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(describeBreaches("verifier", verdict.breaches)).toContain("README.md (modified)");
  });
});
