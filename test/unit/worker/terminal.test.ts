import { describe, expect, test } from "bun:test";
import type { AttemptReport } from "../../../src/execution/attempt";
import type { UserStory } from "../../../src/prd/schema";
import { type TerminalInput, terminalReason } from "../../../src/worker/terminal";

const story = (status: UserStory["status"], failure?: string): UserStory => ({
  id: "US-001",
  title: "t",
  description: "",
  acceptanceCriteria: [],
  status,
  attempts: 1,
  ...(failure
    ? {
        priorFailures: [
          { attempt: 1, tier: "fast", stage: "verify", reason: failure, summary: "", failingTests: [], at: "x" },
        ],
      }
    : {}),
});

const stopped = (
  reason: "cost-limit" | "aborted" | "agent-unusable" | "test-command-unusable" | "state-write-failed",
): AttemptReport => ({ after: { kind: "stop", reason, detail: `${reason} detail` } }) as AttemptReport;

const base: TerminalInput = {
  loop: { status: "completed", iterations: 1 },
  story: story("passed"),
  reports: [],
  deadlineHit: false,
  pushed: true,
  spent: 0.5,
  limit: 2,
};

describe("the worker's terminal reason", () => {
  test("a passed story is `passed` only once its branch is pushed", () => {
    expect(terminalReason(base)).toEqual({ reason: "passed" });
    expect(
      terminalReason({ ...base, pushed: false, story: story("failed", "push-failed: denied"), pushError: "denied" }),
    ).toEqual({ reason: "push-failed", detail: "denied" });
  });

  test("the deadline wins over the abort it caused", () => {
    const input = { ...base, pushed: false, story: story("pending"), deadlineHit: true, reports: [stopped("aborted")] };
    expect(terminalReason({ ...input, loop: { status: "aborted", detail: "stopped", iterations: 1 } }).reason).toBe(
      "deadline",
    );
  });

  test("a run-level stop maps to its reason: budget, agent, test command, signal, a PRD that cannot be saved", () => {
    const at = (r: Parameters<typeof stopped>[0]) =>
      terminalReason({ ...base, pushed: false, story: story("pending"), reports: [stopped(r)] }).reason;
    expect(at("cost-limit")).toBe("budget-exhausted");
    expect(at("agent-unusable")).toBe("agent-unusable");
    expect(at("test-command-unusable")).toBe("test-command-unusable");
    expect(at("aborted")).toBe("aborted");
    expect(at("state-write-failed")).toBe("internal-error");
  });

  test("a loop the budget ended before another attempt is `budget-exhausted`; a story that failed is `failed` with its reason", () => {
    const spent = {
      ...base,
      pushed: false,
      story: story("pending"),
      spent: 2,
      loop: { status: "failed" as const, exitReason: "cost limit reached: $2.00 spent of $2.00", iterations: 1 },
    };
    expect(terminalReason(spent)).toEqual({
      reason: "budget-exhausted",
      detail: "cost limit reached: $2.00 spent of $2.00",
    });
    const failed = {
      ...base,
      pushed: false,
      story: story("failed", "tests fail"),
      loop: { status: "failed" as const, iterations: 2 },
    };
    expect(terminalReason(failed)).toEqual({ reason: "failed", detail: "tests fail" });
  });
});
