/**
 * One complete, valid payload for every event type (the map below does not
 * compile while an event is missing), for tests that need a well-formed
 * event of any type: reader fixtures fill what a test leaves out from here.
 */
import type { NaxEventMap } from "../../src/events/events";

const counts = { total: 2, passed: 0, failed: 0, paused: 0, blocked: 0, skipped: 0, pending: 2 };

export const SAMPLE_PAYLOADS: { [K in keyof NaxEventMap]: NaxEventMap[K] } = {
  "run:started": {
    feature: "f",
    project: "p",
    workdir: "/tmp/p",
    pid: 999_999,
    hostname: "test-host",
    dryRun: false,
    costLimit: 5,
    counts,
  },
  "routing:completed": {
    strategy: "llm",
    decisions: [
      {
        storyId: "US-001",
        complexity: "complex",
        tier: "powerful",
        testStrategy: "test-after",
        decidedBy: "llm",
        fresh: true,
      },
    ],
    costUsd: 0.002,
    costSource: "computed-from-tokens",
    notes: [],
  },
  "run:completed": { status: "completed", counts, costSpent: 0, iterations: 1, durationMs: 1000 },
  "run:paused": { reason: "waiting", counts },
  "run:crashed": { signal: "SIGTERM", counts },
  "story:started": {
    storyId: "US-001",
    title: "a story",
    attempt: 1,
    tier: "fast",
    model: "haiku",
    complexity: "simple",
    testStrategy: "test-after",
  },
  "story:completed": { storyId: "US-001", attempts: 1, costUsd: 0, durationMs: 10 },
  "story:failed": { storyId: "US-001", reason: "tests failed", attempts: 1 },
  "story:paused": { storyId: "US-001", reason: "rate limited" },
  "story:escalated": { storyId: "US-001", fromTier: "fast", toTier: "balanced", reason: "tests failed" },
  "stage:started": { storyId: "US-001", stage: "verify" },
  "stage:completed": { storyId: "US-001", stage: "verify", action: "continue", durationMs: 5 },
  "agent:session-started": { storyId: "US-001", purpose: "implement", model: "haiku", tier: "fast" },
  "agent:session-completed": {
    storyId: "US-001",
    purpose: "implement",
    outcome: "success",
    costUsd: 0,
    inputTokens: 0,
    outputTokens: 0,
    durationMs: 10,
    numTurns: 1,
  },
  "agent:usage": { storyId: "US-001", purpose: "implement", inputTokens: 24, outputTokens: 2 },
  "agent:rate-limited": { storyId: "US-001", waitMs: 1000, until: "2026-03-07T06:00:00.000Z", reason: "429" },
  "verify:completed": {
    storyId: "US-001",
    passed: true,
    command: "bun test",
    scope: "full",
    passedCount: 1,
    failedCount: 0,
    durationMs: 10,
  },
  "rectify:started": { storyId: "US-001", attempt: 1, failingTests: 1 },
  "rectify:completed": { storyId: "US-001", attempt: 1, passed: true },
  "autofix:started": { storyId: "US-001", attempt: 1, problems: "lint" },
  "autofix:completed": { storyId: "US-001", attempt: 1, passed: true, mechanical: false },
  "regression:detected": { storyIds: ["US-001"], failingTests: ["a test"], mode: "deferred" },
  "tdd:red-checked": {
    storyId: "US-001",
    red: true,
    round: 1,
    files: [{ file: "test/a.test.ts", verdict: "red", evidence: "1 test(s) of test/a.test.ts fail: adds" }],
    hashes: { "test/a.test.ts": "0123456789abcdef0123456789abcdef01234567" },
  },
  "tdd:tests-frozen": {
    storyId: "US-001",
    commit: "0123456789abcdef0123456789abcdef01234567",
    hashes: { "test/a.test.ts": "0123456789abcdef0123456789abcdef01234567" },
    carried: false,
  },
  "tdd:green": {
    storyId: "US-001",
    commit: "0123456789abcdef0123456789abcdef01234567",
    hashes: { "test/a.test.ts": "0123456789abcdef0123456789abcdef01234567" },
  },
  "tdd:isolation-violation": {
    storyId: "US-001",
    role: "implementer",
    breaches: [{ path: "test/a.test.ts", kind: "modified", why: "the implementer may not touch a test file" }],
  },
  "tdd:objection": { storyId: "US-001", test: "test/a.test.ts", reason: "contradicts criterion 1" },
  "tdd:verdict": { storyId: "US-001", source: "verifier", verdict: "pass", reasons: [] },
  "acceptance:generated": {
    round: 1,
    criteria: [{ criterion: "US-001/AC-1", file: "acceptance/US-001-AC-1.test.ts" }],
    costUsd: 0.01,
  },
  "acceptance:red-checked": {
    round: 1,
    criteria: [
      { criterion: "US-001/AC-1", file: "acceptance/US-001-AC-1.test.ts", verdict: "red", evidence: "1 test(s) fail" },
    ],
  },
  "acceptance:frozen": {
    commit: "0123456789abcdef0123456789abcdef01234567",
    hashes: { "acceptance/US-001-AC-1.test.ts": "0123456789abcdef0123456789abcdef01234567" },
  },
  "acceptance:checked": {
    scope: "story",
    storyId: "US-001",
    results: [{ criterion: "US-001/AC-1", passed: true, overridden: false, evidence: "passed" }],
    brokenBy: [],
  },
  "acceptance:edited": { storyId: "US-001", files: ["acceptance/US-001-AC-1.test.ts"] },
  "human-review:requested": { storyId: "US-001", reason: "check it" },
  heartbeat: {},
  log: { level: "info", message: "a note" },
};
