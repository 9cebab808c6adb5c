import { describe, expect, test } from "bun:test";
import { jsonSchemaOf } from "../../../src/state/json-schema";
import { parseWorkerResult } from "../../../src/worker/result";
import { checkJsonSchema } from "../../helpers/json-schema-check";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const TIP = "89abcdef0123456789abcdef0123456789abcdef";
const PASSED = {
  v: 1,
  type: "worker:result",
  runId: "run-2026-03-07T05-30-00-000Z",
  feature: "demo",
  storyId: "US-001",
  baseCommit: SHA,
  reason: "passed",
  branch: { remote: "origin", name: "nax-worker/demo/US-001", commit: TIP },
  kept: [],
  gate: {
    command: "bun test",
    scope: "scoped",
    exitCode: 0,
    passed: true,
    passedCount: 3,
    failedCount: 0,
    commit: TIP,
    durationMs: 120,
  },
  costUsd: 0.4,
  attempts: 1,
  durationMs: 5000,
  at: "2026-03-07T05:31:00.000Z",
};

describe("the worker result", () => {
  test("the last line of a worker's stdout is its result", () => {
    const stdout = `{"v":1,"type":"worker:heartbeat"}\n${JSON.stringify(PASSED)}\n`;
    const parsed = parseWorkerResult(stdout);
    expect(parsed.ok && parsed.result.branch?.commit).toBe(TIP);
  });

  test("a pass without a branch, and a failure with one, are not results", () => {
    const { branch: _dropped, ...unpushed } = PASSED;
    expect(parseWorkerResult(JSON.stringify(unpushed))).toMatchObject({
      ok: false,
      error: expect.stringContaining("branch: a branch is reported exactly when the reason is `passed`"),
    });
    expect(parseWorkerResult(JSON.stringify({ ...PASSED, reason: "failed" })).ok).toBe(false);
  });

  test("a reason outside the fixed list, and output that ends without JSON, are not results", () => {
    expect(parseWorkerResult(JSON.stringify({ ...PASSED, reason: "mostly-passed" })).ok).toBe(false);
    expect(parseWorkerResult("killed\n")).toEqual({ ok: false, error: "the worker's last line is not JSON: killed" });
    expect(parseWorkerResult("")).toEqual({ ok: false, error: "the worker's last line is not JSON: (no output)" });
  });

  test("the JSON Schema of the result (nax schema worker-result) accepts a result and rejects an unknown reason", () => {
    const schema = jsonSchemaOf("worker-result");
    expect(checkJsonSchema(schema, PASSED)).toEqual([]);
    expect(checkJsonSchema(schema, { ...PASSED, reason: "mostly-passed" })).not.toEqual([]);
  });
});
