/**
 * The coding-agent contract shared by every adapter (docs/architecture.md). It
 * speaks only of what every agent CLI has: outcomes, tokens, cost, and the
 * capabilities an adapter declares. Anything one CLI alone needs (Claude's
 * permission mode and root refusal, codex's sandbox) lives in that adapter.
 * Outcomes are data: a failed, rate-limited or timed-out session is a result,
 * not a throw.
 */

export type AgentOutcome =
  /** Passed: the agent finished the session and said so. */
  | "success"
  /** Failed: the agent ran and reported an error (non-zero exit, error event, unparseable output). */
  | "error"
  /** 429/529 or the CLI's own retry exhaustion on those: wait (`retryAfterMs`) and retry without spending an attempt. */
  | "rate-limited"
  /** Authentication failed (401 / invalid key / not logged in). */
  | "auth-error"
  /** Wall-clock session timeout. */
  | "timeout"
  /** No output for the stall timeout. */
  | "stalled"
  /** Stopped by nax (Ctrl-C, crash handler). */
  | "aborted"
  /** The CLI is not installed (its executable was not found). */
  | "not-found"
  /** The adapter or the CLI refused to start the session; `error` says why and what to change. */
  | "refused";

/** What an adapter can do; `nax agents` prints these, and the session layer asks before relying on one. */
export interface AgentCapabilities {
  /** The CLI reports the session's cost in USD. */
  reportsCost: boolean;
  /** The CLI reports the session's input and output tokens (cost is then estimated from a price table). */
  reportsTokens: boolean;
  /** A session can be resumed by its id. */
  canResume: boolean;
  /** The CLI can be told up front to ask before (or refuse) edits and commands. */
  canRestrictEdits: boolean;
  /** `complete()` is a real one-shot completion (no tools); otherwise it returns `refused`. */
  hasOneShotCompletion: boolean;
}

export interface AgentRunOptions {
  prompt: string;
  workdir: string;
  model: string;
  /** Extra env from the tier config. */
  env?: Record<string, string>;
  timeoutMs: number;
  stallTimeoutMs: number;
  signal?: AbortSignal;
  /** Progress from the stream (tool use, text): liveness for the status line. */
  onProgress?: (progress: AgentProgress) => void;
}

export interface AgentProgress {
  kind: "init" | "text" | "tool" | "retry" | "usage";
  detail: string;
  /** `usage`: the session's tokens so far, as the agent's stream reported them (never an estimate). */
  usage?: { inputTokens: number; outputTokens: number };
}

export interface AgentResult {
  outcome: AgentOutcome;
  /** The agent's reported cost, or tokens × the adapter's price table when `costEstimated`; 0 when neither. */
  costUsd: number;
  /** True when `costUsd` is tokens × a price table, not a figure the CLI reported. */
  costEstimated?: boolean;
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
  numTurns: number;
  sessionId?: string;
  /** Final text (result), or the error message. */
  resultText: string;
  exitCode: number | null;
  apiErrorStatus?: number | null;
  /** For rate limits: when known, ms to wait before retrying (the reset time). */
  retryAfterMs?: number;
  permissionDenials: number;
  /** Last part of stderr, for diagnosis. */
  stderrTail: string;
  /** A sentence a person can act on when outcome is not success. */
  error?: string;
}

export interface AgentInstallCheck {
  ok: boolean;
  /** False when the executable was not found; true when it ran (even if it then failed). */
  installed?: boolean;
  version?: string;
  /** Logged in, as the CLI tells without a model call; "unknown" when it cannot tell. */
  login?: "yes" | "no" | "unknown";
  /** What to do when not ok (install command, login). */
  fix?: string;
  message?: string;
}

export interface AgentAdapter {
  readonly name: string;
  readonly capabilities: AgentCapabilities;
  /** The adapter's tier → model map (`agents.<name>.models`). */
  readonly models: Readonly<Record<string, string>>;
  isInstalled(): Promise<AgentInstallCheck>;
  run(options: AgentRunOptions): Promise<AgentResult>;
  /** One-shot completion (routing, analysis); `refused` when the adapter has none. */
  complete(
    prompt: string,
    options: { model: string; workdir: string; timeoutMs: number; signal?: AbortSignal },
  ): Promise<AgentResult>;
}

/** A result for a session the adapter refused to start (nothing was spawned, nothing spent). */
export function refusedResult(error: string): AgentResult {
  return {
    outcome: "refused",
    costUsd: 0,
    inputTokens: 0,
    outputTokens: 0,
    durationMs: 0,
    numTurns: 0,
    resultText: "",
    exitCode: null,
    permissionDenials: 0,
    stderrTail: "",
    error,
  };
}
