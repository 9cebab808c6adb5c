import { describe, expect, test } from "bun:test";
import { isNaxError } from "../../../src/errors";
import { checkWorkingTree } from "../../../src/execution/tree-check";

function fakeGit(repo: boolean, dirty: string[]) {
  const asked: Array<readonly string[] | undefined> = [];
  return {
    asked,
    git: {
      isRepo: async () => repo,
      uncommitted: async (_cwd: string, keep?: readonly string[]) => {
        asked.push(keep);
        return dirty;
      },
    },
  };
}

describe("checkWorkingTree", () => {
  test("a clean repository passes without a note, and nax/ itself is allowed to be dirty", async () => {
    const { git, asked } = fakeGit(true, []);
    expect(await checkWorkingTree(git, "/p", false)).toBeUndefined();
    expect(asked).toEqual([["nax"]]);
  });

  test("a folder that is not a git repository is refused with the fix", async () => {
    const error = await checkWorkingTree(fakeGit(false, []).git, "/p", false).catch((e) => e);
    expect(isNaxError(error, "NOT_A_REPO")).toBe(true);
    expect(error.message).toContain("git init");
  });

  test("the user's uncommitted changes are refused, naming them and both ways out", async () => {
    const dirty = ["a.ts", "b.ts", "c.ts", "d.ts", "e.ts", "f.ts", "g.ts"];
    const error = await checkWorkingTree(fakeGit(true, dirty).git, "/p", false).catch((e) => e);
    expect(isNaxError(error, "WORKTREE_DIRTY")).toBe(true);
    expect(error.message).toContain("a.ts, b.ts, c.ts, d.ts, e.ts, and 2 more");
    expect(error.message).toContain("commit or stash");
    expect(error.message).toContain("--allow-dirty");
  });

  test("with --allow-dirty the same changes are accepted with a note saying where they will go", async () => {
    const note = await checkWorkingTree(fakeGit(true, ["a.ts"]).git, "/p", true);
    expect(note).toContain("a.ts");
    expect(note).toContain("first passing story's commit");
  });
});
