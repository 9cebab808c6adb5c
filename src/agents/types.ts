/**
 * The coding-agent contract shared by every adapter (docs/architecture.md). Outcomes are
 * data: a failed, rate-limited or timed-out session is a result, not a throw.
 */

export type AgentOutcome =
  | "success"
  /** The agent ran and reported an error (is_error, non-zero exit, unparseable output). */
  | "error"
  /** 429/529 or the CLI's own retry exhaustion on those: wait and retry without spending an attempt. */
  | "rate-limited"
  /** Authentication failed (401 / invalid key / not logged in). */
  | "auth-error"
  /** Wall-clock session timeout. */
  | "timeout"
  /** No stream event for the stall timeout. */
  | "stalled"
  /** Stopped by nax (Ctrl-C, crash handler). */
  | "aborted"
  /** The binary is not installed. */
  | "not-found"
  /** Running as root without IS_SANDBOX=1: the CLI refuses --dangerously-skip-permissions. */
  | "root-refused";

export interface AgentRunOptions {
  prompt: string;
  workdir: string;
  model: string;
  /** Extra env from the tier config. */
  env?: Record<string, string>;
  timeoutMs: number;
  stallTimeoutMs: number;
  signal?: AbortSignal;
  permissionMode?: "bypassPermissions" | "acceptEdits";
  /**
   * Permission rules the CLI enforces up front (Claude Code's `--disallowedTools`, e.g. `Write(**\/*.test.*)`):
   * what a TDD role may not edit. nax checks the session's diff afterwards whatever the CLI did.
   */
  disallowedTools?: readonly string[];
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
  /** The agent's reported cost (total_cost_usd); 0 when it reported none, never a guess. */
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
  numTurns: number;
  sessionId?: string;
  /** Final text (result), or the error message. */
  resultText: string;
  exitCode: number | null;
  apiErrorStatus?: number | null;
  /** For rate limits: when known, ms to wait before retrying. */
  retryAfterMs?: number;
  permissionDenials: number;
  /** Last part of stderr, for diagnosis. */
  stderrTail: string;
  /** A sentence a person can act on when outcome is not success. */
  error?: string;
}

export interface AgentInstallCheck {
  ok: boolean;
  version?: string;
  /** What to do when not ok (install command, login). */
  fix?: string;
  message?: string;
}

export interface AgentAdapter {
  readonly name: string;
  isInstalled(): Promise<AgentInstallCheck>;
  run(options: AgentRunOptions): Promise<AgentResult>;
  /** One-shot completion (routing, analysis). */
  complete(
    prompt: string,
    options: { model: string; workdir: string; timeoutMs: number; signal?: AbortSignal },
  ): Promise<AgentResult>;
}
