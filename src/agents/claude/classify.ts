/**
 * Pure classification of one CLI session: the spawn result plus the parsed
 * stream become an `AgentResult`. Success needs exit 0 AND a parsed result
 * event AND `is_error === false`; `subtype` is never trusted (it says
 * "success" on API errors). Cost is the CLI's `total_cost_usd` or 0, never a
 * guess (trap 15). Rate limits come from the structured fields.
 */
import type { SpawnResult } from "../../system/spawn";
import { parseResetTime } from "../reset-time";
import type { AgentOutcome, AgentResult } from "../types";

export { parseResetTime };

import type { ClaudeApiRetry, ClaudeResultEvent, ClaudeStreamSummary } from "./stream-parser";

export const CLAUDE_INSTALL_FIX = "npm install -g @anthropic-ai/claude-code";

export interface ClassifyInput {
  spawn: SpawnResult;
  stream: ClaudeStreamSummary;
  command: string;
  /** Wall-clock now, to turn a reset time in the error text into a wait. */
  now: number;
  timeoutMs?: number;
  stallTimeoutMs?: number;
}

const RATE_LIMIT_STATUSES = new Set([429, 529]);
const RATE_LIMIT_TAG = /rate_limit|overloaded/i;
const AUTH_TEXT = /invalid api key|not logged in|please run \/login|failed to authenticate|authentication_error/i;
const ROOT_REFUSAL = "cannot be used with root/sudo privileges";
const STDERR_TAIL = 2000;

function rateLimitedRetry(retry: ClaudeApiRetry | undefined): boolean {
  if (!retry) return false;
  return (
    (retry.errorStatus !== null && RATE_LIMIT_STATUSES.has(retry.errorStatus)) || RATE_LIMIT_TAG.test(retry.error ?? "")
  );
}

function isRateLimited(result: ClaudeResultEvent | undefined, stream: ClaudeStreamSummary): boolean {
  if (result?.apiErrorStatus != null) return RATE_LIMIT_STATUSES.has(result.apiErrorStatus);
  // No status on the result: the CLI gave up after its own retries, or hit a plan's usage limit.
  if (/usage limit reached/i.test(result?.result ?? "")) return true;
  return rateLimitedRetry(stream.lastRetry) || RATE_LIMIT_TAG.test(stream.lastAssistantError ?? "");
}

function baseOf(input: ClassifyInput): Omit<AgentResult, "outcome"> {
  const { spawn, stream } = input;
  const result = stream.result;
  const captured = spawn.kind === "not-found" ? undefined : spawn;
  return {
    costUsd: result?.totalCostUsd ?? 0,
    inputTokens: result?.inputTokens ?? 0,
    outputTokens: result?.outputTokens ?? 0,
    durationMs: captured?.durationMs ?? 0,
    numTurns: result?.numTurns ?? 0,
    ...((result?.sessionId ?? stream.sessionId) ? { sessionId: result?.sessionId ?? stream.sessionId } : {}),
    resultText: result?.result || stream.lastText || "",
    exitCode: captured?.exitCode ?? null,
    apiErrorStatus: result?.apiErrorStatus ?? null,
    permissionDenials: result?.permissionDenials ?? 0,
    stderrTail: (captured?.stderr ?? "").slice(-STDERR_TAIL),
  };
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? "its" : `its ${Math.round(ms / 100) / 10} s`;
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n").filter(Boolean);
  return (lines[lines.length - 1] ?? "").slice(0, 300);
}

function failure(outcome: AgentOutcome, base: Omit<AgentResult, "outcome">, error: string): AgentResult {
  return { outcome, ...base, error };
}

function classifyExited(input: ClassifyInput, base: Omit<AgentResult, "outcome">): AgentResult {
  const spawn = input.spawn as Extract<SpawnResult, { kind: "exited" }>;
  const { stream } = input;
  const result = stream.result;
  if (spawn.stderr.includes(ROOT_REFUSAL)) {
    return failure(
      "refused",
      base,
      "Claude Code refuses --dangerously-skip-permissions when run as root. Run nax as a non-root user, " +
        'or set IS_SANDBOX=1 only if this machine is a disposable sandbox or container (or set agents.claude.permissionMode to "acceptEdits").',
    );
  }
  if (result && spawn.exitCode === 0 && !result.isError) return { outcome: "success", ...base };
  const text = result?.result || result?.errors.join("; ") || "";
  if (isRateLimited(result, stream)) {
    const retryAfterMs = parseResetTime(text, input.now) ?? stream.lastRetry?.retryDelayMs;
    const status = result?.apiErrorStatus ?? stream.lastRetry?.errorStatus;
    const reason = `Claude Code was rate limited${status ? ` (API ${status})` : ""}: ${text || "retries exhausted"}`;
    return { ...failure("rate-limited", base, reason), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  const authEvidence = `${text}\n${spawn.stderr.slice(-STDERR_TAIL)}\n${result ? "" : spawn.stdout.slice(-STDERR_TAIL)}`;
  if (
    result?.apiErrorStatus === 401 ||
    stream.lastRetry?.error === "authentication_failed" ||
    AUTH_TEXT.test(authEvidence)
  ) {
    const detail = text || lastLine(spawn.stderr) || "authentication failed";
    return failure(
      "auth-error",
      base,
      `Claude Code could not authenticate (${detail}). Log in by running \`claude\` once, or set ANTHROPIC_API_KEY.`,
    );
  }
  if (result?.isError) {
    const status = result.apiErrorStatus === null ? "" : ` (API ${result.apiErrorStatus})`;
    return failure("error", base, `Claude Code reported an error${status}: ${text || result.subtype || "no message"}`);
  }
  if (result) {
    return failure("error", base, `Claude Code exited with code ${spawn.exitCode} although its result said success.`);
  }
  const killed = spawn.signal ? ` (killed by ${spawn.signal})` : "";
  const why = spawn.stdout.trim() === "" ? "printed nothing on stdout" : "printed no result event";
  const stderr = lastLine(spawn.stderr);
  return failure(
    "error",
    base,
    `Claude Code exited with code ${spawn.exitCode}${killed} and ${why}${stderr ? `: ${stderr}` : "."}`,
  );
}

export function classifyClaudeRun(input: ClassifyInput): AgentResult {
  const base = baseOf(input);
  const { spawn } = input;
  switch (spawn.kind) {
    case "not-found":
      return failure(
        "not-found",
        base,
        `The Claude Code CLI was not found ("${input.command}": ${spawn.message}). Install it with: ${CLAUDE_INSTALL_FIX}`,
      );
    case "aborted":
      return failure("aborted", base, "The agent session was stopped by nax before it finished.");
    case "timeout":
      return spawn.reason === "wall"
        ? failure(
            "timeout",
            base,
            `The agent session ran past ${seconds(input.timeoutMs)} wall-clock limit and was stopped.`,
          )
        : failure(
            "stalled",
            base,
            `The agent printed nothing for ${seconds(input.stallTimeoutMs)} stall limit and was stopped (a stalled model stream can hang the CLI for about 5 minutes).`,
          );
    case "exited":
      return classifyExited(input, base);
  }
}
