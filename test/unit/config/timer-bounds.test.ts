/**
 * Every timeout and delay key is bounded by what a timer can hold (trap 32,
 * docs/traps.md): `sessionTimeoutSeconds: 3000000` used to fire after 1 ms
 * and burn every attempt. The schema refuses it and names the maximum.
 */
import { describe, expect, test } from "bun:test";
import { ConfigSchema, MAX_TIMER_MS, MAX_TIMER_SECONDS } from "../../../src/config/schema";

const SECONDS_KEYS: [string, (n: number) => Record<string, unknown>][] = [
  ["execution.sessionTimeoutSeconds", (n) => ({ execution: { sessionTimeoutSeconds: n } })],
  ["execution.stallTimeoutSeconds", (n) => ({ execution: { stallTimeoutSeconds: n } })],
  ["execution.verificationTimeoutSeconds", (n) => ({ execution: { verificationTimeoutSeconds: n } })],
  ["execution.rateLimit.maxWaitSeconds", (n) => ({ execution: { rateLimit: { maxWaitSeconds: n } } })],
  ["execution.rateLimit.defaultWaitSeconds", (n) => ({ execution: { rateLimit: { defaultWaitSeconds: n } } })],
  ["execution.regressionGate.timeoutSeconds", (n) => ({ execution: { regressionGate: { timeoutSeconds: n } } })],
];
const MS_KEYS: [string, (n: number) => Record<string, unknown>][] = [
  ["execution.iterationDelayMs", (n) => ({ execution: { iterationDelayMs: n } })],
  ["routing.llm.timeoutMs", (n) => ({ routing: { llm: { timeoutMs: n } } })],
  ["routing.llm.retryDelayMs", (n) => ({ routing: { llm: { retryDelayMs: n } } })],
];

function issueFor(input: Record<string, unknown>): { path: string; message: string } | undefined {
  const parsed = ConfigSchema.safeParse(input);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return issue ? { path: issue.path.join("."), message: issue.message } : undefined;
}

describe("timeouts above what a timer can hold (trap 32)", () => {
  test("the maximum is 2^31-1 ms, and in seconds the whole seconds below it", () => {
    expect(MAX_TIMER_MS).toBe(2_147_483_647);
    expect(MAX_TIMER_SECONDS).toBe(2_147_483);
    expect(MAX_TIMER_SECONDS * 1000).toBeLessThanOrEqual(MAX_TIMER_MS);
  });

  for (const [key, make] of SECONDS_KEYS) {
    test(`${key} above the maximum is rejected with the maximum in the message, and the maximum itself is accepted`, () => {
      expect(issueFor(make(3_000_000))).toEqual({
        path: key,
        message: expect.stringContaining(`${MAX_TIMER_SECONDS} seconds`),
      });
      expect(issueFor(make(MAX_TIMER_SECONDS))).toBeUndefined();
    });
  }

  for (const [key, make] of MS_KEYS) {
    test(`${key} above the maximum is rejected with the maximum in the message, and the maximum itself is accepted`, () => {
      expect(issueFor(make(MAX_TIMER_MS + 1))).toEqual({
        path: key,
        message: expect.stringContaining(`${MAX_TIMER_MS} ms`),
      });
      expect(issueFor(make(MAX_TIMER_MS))).toBeUndefined();
    });
  }
});
