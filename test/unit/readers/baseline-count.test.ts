import { describe, expect, test } from "bun:test";
import { baselineIn } from "../../../src/readers/baseline-count";
import { type EventLine, StoredEventLineSchema } from "../../../src/state/event-line";

let seq = 0;
function line(type: string, data: Record<string, unknown>): EventLine {
  seq++;
  return StoredEventLineSchema.parse({
    v: 1,
    type,
    runId: "run-1",
    seq,
    at: "2026-03-07T05:30:00.000Z",
    level: "info",
    message: type,
    storyId: "US-001",
    data: { storyId: "US-001", ...data },
  });
}

const gate = (scope: "full" | "scoped", passedCount: number, edit = 1) =>
  line("gate:ran", {
    attempt: 1,
    gate: "verify",
    command: "bun test",
    exitCode: 0,
    passed: true,
    passedCount,
    failedCount: 0,
    durationMs: 5,
    scope,
    edit,
  });
const sealed = (provenBy?: string) =>
  line("ledger:sealed", { attempt: 1, where: "merged", commit: "abc", edit: 1, ...(provenBy ? { provenBy } : {}) });

describe("the test count that proved a merged commit", () => {
  test("is the full run at the sealed edit that proved it", () => {
    expect(baselineIn([gate("full", 7), sealed("verify")], "abc")).toEqual({ count: 7, command: "bun test" });
  });

  test("is unknown for a scoped proof, an unproven seal, another commit, or a run that counted nothing", () => {
    expect(baselineIn([gate("scoped", 7), sealed("verify")], "abc")).toBeUndefined();
    expect(baselineIn([gate("full", 7), sealed()], "abc")).toBeUndefined();
    expect(baselineIn([gate("full", 7), sealed("verify")], "def")).toBeUndefined();
    expect(baselineIn([gate("full", 0), sealed("verify")], "abc")).toBeUndefined();
    expect(baselineIn([gate("full", 7, 0), sealed("verify")], "abc")).toBeUndefined();
  });
});
