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
  "interaction:asked": {
    questionId: "q-1a2b3c4d",
    kind: "tiers-exhausted",
    prompt: "US-001 spent every tier",
    choices: ["retry", "skip", "fail"],
    fallback: "fail",
    timeoutSeconds: 600,
    expiresAt: "2026-03-07T06:10:00.000Z",
    channels: ["cli"],
    storyId: "US-001",
    lane: 1,
  },
  "interaction:answered": {
    questionId: "q-1a2b3c4d",
    choice: "skip",
    channel: "answer-file",
    storyId: "US-001",
    lane: 1,
  },
  "interaction:fallback": { questionId: "q-1a2b3c4d", choice: "fail", reason: "no answer in 10m", storyId: "US-001" },
  heartbeat: {},
  log: { level: "info", message: "a note" },
};
