/**
 * `planClean` over gathered facts: what may go and what is kept (and why),
 * with and without `--force`. The git side is covered by
 * test/integration/clean.test.ts.
 */
import { describe, expect, test } from "bun:test";
import { type CleanFacts, describeAction, planClean } from "../../../src/isolation/clean";

const SHA = "a".repeat(40);
const facts = (): CleanFacts => ({
  worktrees: [
    { path: "/h/w/demo/US-001-1", branch: "refs/heads/nax/demo/US-001", locked: true, missing: false, dirty: [] },
    { path: "/h/w/demo/US-002-1", branch: "refs/heads/nax/demo/US-002", locked: true, missing: false, dirty: ["a.ts"] },
    { path: "/h/w/demo/US-003-1", locked: false, missing: true, dirty: [] },
  ],
  branches: [
    { ref: "refs/heads/nax/demo/US-001", sha: SHA, merged: true, current: false },
    { ref: "refs/heads/nax/demo/US-002", sha: SHA, merged: true, current: false },
    { ref: "refs/heads/nax/demo/US-004", sha: SHA, merged: false, current: false },
    { ref: "refs/heads/nax/demo/integration", sha: SHA, merged: true, current: true },
  ],
  attempts: [{ ref: "refs/nax/attempts/demo/US-004/1", sha: SHA, merged: false, current: false }],
});

describe("planClean", () => {
  test("without --force it removes only what holds nothing unmerged and says why the rest stays", () => {
    const plan = planClean(facts(), { force: false });
    expect(plan.actions.map(describeAction)).toEqual([
      "remove worktree /h/w/demo/US-001-1",
      "forget worktree /h/w/demo/US-003-1 (its folder is gone)",
      "delete merged branch nax/demo/US-001 (aaaaaaaaaa)",
    ]);
    expect(plan.kept.map((k) => k.what)).toEqual([
      "worktree /h/w/demo/US-002-1",
      "branch nax/demo/US-002",
      "branch nax/demo/US-004 (aaaaaaaaaa)",
      "branch nax/demo/integration",
      "attempt refs/nax/attempts/demo/US-004/1 (aaaaaaaaaa)",
    ]);
  });

  test("with --force it names every discarded file and unmerged commit, but never the checked-out branch", () => {
    const plan = planClean(facts(), { force: true });
    const said = plan.actions.map(describeAction);
    expect(said).toContain("remove worktree /h/w/demo/US-002-1, DISCARDING its uncommitted a.ts");
    expect(said).toContain(
      `delete refs/nax/attempts/demo/US-004/1 at ${SHA}, with its unmerged commits (restore: git update-ref refs/nax/attempts/demo/US-004/1 ${SHA}, until git gc)`,
    );
    expect(said.some((s) => s.includes("nax/demo/integration"))).toBe(false);
    expect(plan.kept.map((k) => k.what)).toEqual(["branch nax/demo/integration"]);
  });
});
