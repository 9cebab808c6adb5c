import { describe, expect, test } from "bun:test";
import { parseStatusV2 } from "../../../src/isolation/worktree-git";

describe("parseStatusV2", () => {
  test("reads HEAD, the branch and every changed, unmerged or untracked path, spaces included", () => {
    const text = [
      "# branch.oid 0123456789abcdef0123456789abcdef01234567",
      "# branch.head main",
      "1 .M N... 100644 100644 100644 aaaa bbbb src/a file.ts",
      "u UU N... 100644 100644 100644 100644 aaaa bbbb cccc src/conflict.ts",
      "? notes/new one.md",
      "",
    ].join("\0");
    expect(parseStatusV2(text)).toEqual({
      head: "0123456789abcdef0123456789abcdef01234567",
      branch: "main",
      dirty: ["src/a file.ts", "src/conflict.ts", "notes/new one.md"],
    });
  });

  test("a detached HEAD has no branch, and a repository without commits no head", () => {
    expect(parseStatusV2("# branch.oid (initial)\0# branch.head (detached)\0")).toEqual({
      head: undefined,
      branch: undefined,
      dirty: [],
    });
  });
});
