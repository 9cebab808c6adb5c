import { describe, expect, test } from "bun:test";
import { branchNameProblem } from "../../../src/git/branch-name";

describe("branchNameProblem", () => {
  test("no branchName, or one git accepts outside nax's own branches, is fine", () => {
    expect(branchNameProblem(undefined, "demo")).toBeUndefined();
    for (const name of ["feat/demo", "main", "release-1.2", "nax/other/x", "user/ada/demo"])
      expect(branchNameProblem(name, "demo")).toBeUndefined();
  });

  test("names git refuses are refused with the reason and the fix", () => {
    for (const [name, why] of [
      ["feat demo", "a space"],
      ["feat..demo", "'..'"],
      ["-demo", "starts with '-'"],
      ["feat/", "an empty path component"],
      ["feat/.hidden", "starts with '.'"],
      ["feat/x.lock", "'.lock'"],
      ["feat@{1}", "'@{'"],
      ["HEAD", "reserved"],
      ["a~1", "~"],
    ] as const) {
      const problem = branchNameProblem(name, "demo");
      expect(problem).toContain(`branchName: "${name}" is not a branch name git accepts`);
      expect(problem).toContain(why);
      expect(problem).toContain('use a name like "feat/demo"');
    }
  });

  test("a name where nax keeps the feature's own branches clashes (git cannot hold both)", () => {
    for (const name of ["nax", "nax/demo", "nax/demo/integration", "nax/demo/US-001"]) {
      expect(branchNameProblem(name, "demo")).toContain("clashes with nax's own branches of this feature");
    }
  });
});
