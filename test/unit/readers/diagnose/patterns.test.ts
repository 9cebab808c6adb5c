import { describe, expect, test } from "bun:test";
import { type Prd, PrdSchema } from "../../../../src/prd/schema";
import { classifyStory, storiesToDiagnose } from "../../../../src/readers/diagnose/patterns";
import type { EventLine } from "../../../../src/state/event-line";
import { eventLine } from "../../../helpers/state-fixtures";

const RUN = "run-2026-03-07T05-00-00-000Z";

function prdWith(stories: Record<string, unknown>[]): Prd {
  return PrdSchema.parse({ project: "p", feature: "f", userStories: stories.map((s) => ({ title: "t", ...s })) });
}

function failure(attempt: number, tier: string, stage: string, summary: string, failingTests: string[] = []) {
  return { attempt, tier, stage, summary, failingTests };
}

function classify(story: Record<string, unknown>, lines: EventLine[] = [], others: Record<string, unknown>[] = []) {
  const prd = prdWith([...others, { id: "US-009", status: "failed", ...story }]);
  const target = prd.userStories.find((s) => s.id === "US-009");
  if (!target) throw new Error("fixture story missing");
  return classifyStory(prd, target, lines, { verbose: false });
}

describe("classifyStory", () => {
  test("the same tests failing on every tier is a test mismatch naming the tests", () => {
    const finding = classify({
      attempts: 4,
      priorFailures: [
        failure(1, "fast", "verify", "2 failing", ["auth > logs in", "auth > logs out"]),
        failure(2, "balanced", "rectify", "1 failing", ["auth > logs in"]),
        failure(3, "powerful", "verify", "1 failing", ["auth > logs in"]),
      ],
    });
    expect(finding.pattern).toBe("test-mismatch");
    expect(finding.summary).toContain("fast, balanced, powerful");
    expect(finding.evidence[0]).toBe("failing every time: auth > logs in");
  });

  test("different tests failing each time on every tier is tiers exhausted, not a mismatch", () => {
    const finding = classify({
      attempts: 2,
      priorFailures: [failure(1, "fast", "verify", "x", ["a"]), failure(2, "powerful", "verify", "y", ["b"])],
    });
    expect(finding.pattern).toBe("tiers-exhausted");
    expect(finding.summary).toContain("fast, powerful");
  });

  test("a missing agent reported by an agent session is environmental, with the install command", () => {
    const session = eventLine(RUN, "agent:session-completed", {
      storyId: "US-009",
      outcome: "not-found",
      error: "claude: command not found",
    });
    const finding = classify({}, [session]);
    expect(finding.pattern).toBe("environmental");
    expect(finding.fix).toContain("npm install -g @anthropic-ai/claude-code");
  });

  test("a missing test command is environmental, pointing at the configured commands", () => {
    const finding = classify({ priorFailures: [failure(1, "fast", "verify", "sh: vitest: command not found")] });
    expect(finding.pattern).toBe("environmental");
    expect(finding.summary).toContain("missing");
    expect(finding.fix).toContain("quality.commands");
  });

  test("the agent refusing to run as root is environmental, with the sandbox fix", () => {
    const finding = classify({
      priorFailures: [
        failure(1, "fast", "agent", "--dangerously-skip-permissions cannot be used with root/sudo privileges"),
      ],
    });
    expect(finding.pattern).toBe("environmental");
    expect(finding.fix).toContain("IS_SANDBOX=1");
  });

  test("an authentication failure is environmental, with the login fix", () => {
    const finding = classify({ priorFailures: [failure(1, "fast", "agent", "Invalid API key · Please run /login")] });
    expect(finding.pattern).toBe("environmental");
    expect(finding.fix).toContain("claude");
  });

  test("tests that merely mention auth or install are not mistaken for environment problems", () => {
    const finding = classify({
      priorFailures: [
        failure(1, "fast", "verify", "auth.test.ts: install step failed", ["auth > install"]),
        failure(2, "balanced", "verify", "auth.test.ts: install step failed", ["auth > install"]),
      ],
    });
    expect(finding.pattern).toBe("test-mismatch");
  });

  test("a final failure caused by rate limits is rate limited", () => {
    const lines = [
      eventLine(RUN, "agent:rate-limited", { storyId: "US-009", waitMs: 60_000, reason: "429" }),
      eventLine(
        RUN,
        "story:failed",
        { storyId: "US-009", reason: "rate limited: 429 after 5 retries" },
        {
          message: "US-009 failed: rate limited: 429 after 5 retries",
        },
      ),
    ];
    expect(classify({}, lines).pattern).toBe("rate-limited");
  });

  test("a session that timed out is a session timeout; one that died is a session crash", () => {
    expect(
      classify({ priorFailures: [failure(1, "fast", "agent", "agent session timed out after 1800 s")] }).pattern,
    ).toBe("session-timeout");
    expect(classify({ priorFailures: [failure(1, "fast", "agent", "agent exited with code 137")] }).pattern).toBe(
      "session-crash",
    );
  });

  test("a blocked story, or a pending one behind a failed dependency, is dependency blocked", () => {
    const blocked = classify({ status: "blocked", dependencies: ["US-001"] }, [], [{ id: "US-001", status: "failed" }]);
    expect(blocked.pattern).toBe("dependency-blocked");
    expect(blocked.evidence[0]).toBe("dependencies: US-001 is failed");
    const pending = classify({ status: "pending", dependencies: ["US-001"] }, [], [{ id: "US-001", status: "paused" }]);
    expect(pending.pattern).toBe("dependency-blocked");
  });

  test("a paused story without another cause needs a human review", () => {
    expect(classify({ status: "paused" }).pattern).toBe("needs-review");
  });
});

describe("storiesToDiagnose", () => {
  test("picks failed, paused and blocked stories and pending ones behind a dead dependency", () => {
    const prd = prdWith([
      { id: "A", status: "passed" },
      { id: "B", status: "failed" },
      { id: "C", status: "pending", dependencies: ["B"] },
      { id: "D", status: "pending" },
      { id: "E", status: "paused" },
    ]);
    expect(storiesToDiagnose(prd).map((s) => s.id)).toEqual(["B", "C", "E"]);
  });
});

describe("classifyStory and the test faults nax records", () => {
  test("a story whose last attempt changed nothing says how to mark an already-satisfied story passed", () => {
    const finding = classify({
      attempts: 2,
      priorFailures: [
        { ...failure(1, "fast", "completion", "no-changes: ..."), category: "no-changes" },
        { ...failure(2, "fast", "completion", "no-changes: ..."), category: "no-changes" },
      ],
    });
    expect(finding.pattern).toBe("no-changes");
    expect(finding.summary).toContain("the agent made no changes");
    expect(finding.fix).toContain('nax story pass US-009 --reason "<why>"');
  });

  test("a verification that timed out is a verification timeout fixed by verificationTimeoutSeconds, not a session timeout", () => {
    const finding = classify({
      attempts: 1,
      priorFailures: [
        { ...failure(1, "fast", "rectify", "Tests timed out after 600 s: failed."), category: "verification-timeout" },
      ],
    });
    expect(finding.pattern).toBe("verification-timeout");
    expect(finding.fix).toContain("execution.verificationTimeoutSeconds");
    expect(finding.fix).not.toContain("sessionTimeoutSeconds");
  });

  test("an older record without a category is still read as a verification timeout from its summary", () => {
    const finding = classify({ priorFailures: [failure(1, "fast", "verify", "Tests timed out after 5 s: failed.")] });
    expect(finding.pattern).toBe("verification-timeout");
  });

  test("an agent session that timed out is still a session timeout", () => {
    const finding = classify({ priorFailures: [failure(1, "fast", "agent", "agent session timed out after 1800 s")] });
    expect(finding.pattern).toBe("session-timeout");
  });
});
