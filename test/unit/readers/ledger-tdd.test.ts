import { describe, expect, test } from "bun:test";
import { type TddEntry, tddEvidence, tddLines } from "../../../src/readers/ledger-tdd";

const stamp = { runId: "run-1", at: "2026-03-07T06:00:00.000Z" };
const red = (hash: string, ok = true): TddEntry => ({
  ...stamp,
  type: "tdd:red-checked",
  data: {
    storyId: "US-001",
    red: ok,
    round: 1,
    files: [{ file: "test/a.test.ts", verdict: ok ? "red" : "already-passing", evidence: "seen" }],
    hashes: { "test/a.test.ts": hash },
  },
});
const green = (hash: string): TddEntry => ({
  ...stamp,
  type: "tdd:green",
  data: { storyId: "US-001", commit: "0123456789abcdef", hashes: { "test/a.test.ts": hash } },
});

describe("the ledger's TDD lines", () => {
  test("GREEN says whether the test files are the ones that were RED", () => {
    expect(tddLines([red("aaa"), green("aaa")])[1]).toBe("GREEN at 0123456789ab: test files as at RED");
    expect(tddLines([red("aaa"), green("bbb")])[1]).toBe("GREEN at 0123456789ab: TEST FILES CHANGED since RED");
  });

  test("diagnose gets the last entry that explains a failure, and nothing when all went well", () => {
    expect(tddEvidence([red("aaa"), green("aaa")])).toEqual([]);
    expect(tddEvidence([red("aaa", false)])).toEqual(["ledger: RED round 1: NOT red (test/a.test.ts already-passing)"]);
    const violation: TddEntry = {
      ...stamp,
      type: "tdd:isolation-violation",
      data: {
        storyId: "US-001",
        role: "implementer",
        breaches: [{ path: "test/a.test.ts", kind: "modified", why: "x" }],
      },
    };
    expect(tddEvidence([red("aaa"), violation])).toEqual([
      "ledger: isolation-violation by the implementer: test/a.test.ts (modified)",
    ]);
  });
});
