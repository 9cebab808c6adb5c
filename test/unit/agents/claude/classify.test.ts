import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { classifyClaudeRun, parseResetTime } from "../../../../src/agents/claude/classify";
import {
  type ClaudeStreamSummary,
  emptyStreamSummary,
  parseStreamLine,
  reduceStream,
} from "../../../../src/agents/claude/stream-parser";
import type { SpawnResult } from "../../../../src/system/spawn";

const NOW = Date.parse("2026-03-07T05:30:00.000Z");

function fixtureText(name: string): string {
  return readFileSync(join(import.meta.dir, "fixtures", name), "utf8");
}

function summaryOf(stdout: string): ClaudeStreamSummary {
  return stdout.split("\n").flatMap(parseStreamLine).reduce(reduceStream, emptyStreamSummary());
}

function exited(exitCode: number, stdout: string, stderr = "", signal: string | null = null): SpawnResult {
  const captured = { stdout, stderr, stdoutTruncated: false, stderrTruncated: false, durationMs: 640, pid: 4242 };
  return { kind: "exited", exitCode, signal, ...captured };
}

function classify(spawn: SpawnResult, stdout = "") {
  return classifyClaudeRun({
    spawn,
    stream: summaryOf(stdout),
    command: "claude",
    now: NOW,
    timeoutMs: 30_000,
    stallTimeoutMs: 5000,
  });
}

function fromFixture(name: string, exitCode: number) {
  const stdout = fixtureText(name);
  return classify(exited(exitCode, stdout), stdout);
}

describe("classifyClaudeRun on real CLI output", () => {
  test("exit 0 with is_error false is a success carrying the CLI's cost, tokens, turns and session", () => {
    const result = fromFixture("success-write.ndjson", 0);
    expect(result.outcome).toBe("success");
    expect(result.costUsd).toBe(0.000252);
    expect(result.inputTokens).toBe(24);
    expect(result.outputTokens).toBe(12);
    expect(result.numTurns).toBe(2);
    expect(result.resultText).toBe("Done.");
    expect(result.sessionId).toBeDefined();
    expect(result.durationMs).toBe(640);
    expect(result.error).toBeUndefined();
  });

  test("the same success output with a non-zero exit code is an error", () => {
    expect(fromFixture("success-write.ndjson", 1).outcome).toBe("error");
  });

  test("a persistent 429 is rate-limited with the last api_retry delay as retryAfterMs", () => {
    const result = fromFixture("rate-limit-429.ndjson", 1);
    expect(result.outcome).toBe("rate-limited");
    expect(result.apiErrorStatus).toBe(429);
    expect(result.retryAfterMs).toBe(1000);
  });

  test("a persistent 529 overload is rate-limited too", () => {
    const result = fromFixture("overloaded-529.ndjson", 1);
    expect(result.outcome).toBe("rate-limited");
    expect(result.apiErrorStatus).toBe(529);
  });

  test("a 401 is an auth error with the CLI's message and a fix", () => {
    const result = fromFixture("auth-401.ndjson", 1);
    expect(result.outcome).toBe("auth-error");
    expect(result.error).toContain("Invalid API key");
    expect(result.error).toContain("ANTHROPIC_API_KEY");
  });

  test("a 400 is a plain error naming the API status", () => {
    const result = fromFixture("bad-request-400.ndjson", 1);
    expect(result.outcome).toBe("error");
    expect(result.error).toContain("API 400");
  });

  test("max turns is an error that reports the CLI's errors and still counts the cost", () => {
    const result = fromFixture("max-turns.ndjson", 1);
    expect(result.outcome).toBe("error");
    expect(result.error).toContain("Reached maximum number of turns (1)");
    expect(result.costUsd).toBe(0.000126);
  });
});

describe("classifyClaudeRun on synthetic cases", () => {
  const resultLine = (fields: Record<string, unknown>) =>
    JSON.stringify({
      type: "result",
      subtype: "success",
      is_error: false,
      result: "ok",
      total_cost_usd: 0.1,
      ...fields,
    });

  test('subtype "success" with is_error true is an error, never a success', () => {
    const stdout = resultLine({ is_error: true, result: "API Error: 500 boom", api_error_status: 500 });
    const result = classify(exited(0, stdout), stdout);
    expect(result.outcome).toBe("error");
    expect(result.error).toContain("API Error: 500 boom");
  });

  test("exit 0 with empty stdout is an error", () => {
    const result = classify(exited(0, ""));
    expect(result.outcome).toBe("error");
    expect(result.error).toContain("printed nothing");
    expect(result.costUsd).toBe(0);
  });

  test("a result without total_cost_usd reports cost 0, never an estimate", () => {
    const stdout = JSON.stringify({
      type: "result",
      is_error: false,
      result: "ok",
      duration_ms: 90_000,
      usage: { input_tokens: 5000 },
    });
    const result = classify(exited(0, stdout), stdout);
    expect(result.outcome).toBe("success");
    expect(result.costUsd).toBe(0);
  });

  test("the root refusal on stderr is refused with a sentence naming IS_SANDBOX and non-root", () => {
    const stderr = "--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons\n";
    const result = classify(exited(1, "", stderr));
    expect(result.outcome).toBe("refused");
    expect(result.error).toMatch(/IS_SANDBOX=1 only if this machine is a disposable sandbox/);
    expect(result.error).toContain("non-root user");
    expect(result.stderrTail).toBe(stderr);
  });

  test("a 'Please run /login' message without a result event is an auth error", () => {
    const result = classify(
      exited(1, "Invalid API key · Please run /login\n"),
      "Invalid API key · Please run /login\n",
    );
    expect(result.outcome).toBe("auth-error");
  });

  test("an api_retry exhaustion on overload without a status on the result is rate-limited", () => {
    const stdout = [
      JSON.stringify({
        type: "system",
        subtype: "api_retry",
        attempt: 2,
        max_retries: 2,
        retry_delay_ms: 4200,
        error_status: null,
        error: "overloaded",
      }),
      resultLine({ is_error: true, api_error_status: null, result: "API Error: overloaded" }),
    ].join("\n");
    const result = classify(exited(1, stdout), stdout);
    expect(result.outcome).toBe("rate-limited");
    expect(result.retryAfterMs).toBe(4200);
  });

  test("a usage-limit reset time in the text wins over the retry delay", () => {
    const reset = Math.floor(NOW / 1000) + 3600;
    const stdout = resultLine({
      is_error: true,
      api_error_status: 429,
      result: `Claude AI usage limit reached|${reset}`,
    });
    const result = classify(exited(1, stdout), stdout);
    expect(result.outcome).toBe("rate-limited");
    expect(result.retryAfterMs).toBe(3_600_000);
  });

  test("a 429 with no known wait has no retryAfterMs", () => {
    const stdout = resultLine({ is_error: true, api_error_status: 429, result: "API Error: Request rejected (429)" });
    const result = classify(exited(1, stdout), stdout);
    expect(result.outcome).toBe("rate-limited");
    expect(result.retryAfterMs).toBeUndefined();
  });

  test("a child killed by a signal without a result says so", () => {
    const result = classify(exited(137, "", "", "SIGKILL"));
    expect(result.outcome).toBe("error");
    expect(result.error).toContain("SIGKILL");
  });

  test("spawn not-found is not-found with the install command", () => {
    const result = classify({ kind: "not-found", command: "claude", message: "Executable not found in $PATH" });
    expect(result.outcome).toBe("not-found");
    expect(result.error).toContain("npm install -g @anthropic-ai/claude-code");
    expect(result.exitCode).toBeNull();
  });

  test("wall timeout, stall and abort map to timeout, stalled and aborted", () => {
    const captured = {
      stdout: "",
      stderr: "",
      stdoutTruncated: false,
      stderrTruncated: false,
      durationMs: 5000,
      pid: 9,
    };
    const stdout = fixtureText("interrupted-stall.ndjson");
    const wall = classify({ kind: "timeout", reason: "wall", exitCode: 0, ...captured, stdout }, stdout);
    expect(wall.outcome).toBe("timeout");
    expect(wall.error).toContain("30 s");
    const stall = classify({ kind: "timeout", reason: "stall", exitCode: 0, ...captured });
    expect(stall.outcome).toBe("stalled");
    expect(stall.error).toContain("5 s");
    expect(classify({ kind: "aborted", exitCode: null, ...captured }).outcome).toBe("aborted");
  });
});

describe("parseResetTime", () => {
  test("reads epoch seconds, 'retry after N seconds' and 'try again in N minutes'", () => {
    expect(parseResetTime(`limit reached|${Math.floor(NOW / 1000) + 60}`, NOW)).toBe(60_000);
    expect(parseResetTime("Please retry after 30 seconds", NOW)).toBe(30_000);
    expect(parseResetTime("try again in 2 minutes", NOW)).toBe(120_000);
    expect(parseResetTime("try again in 1 hour", NOW)).toBe(3_600_000);
    expect(parseResetTime("API Error: Request rejected (429)", NOW)).toBeUndefined();
  });
});
