/**
 * Typed errors. Expected outcomes are data; a NaxError is for input that
 * cannot be used (bad config or PRD, a held lock, a missing agent) and for
 * aborts. Its `code` decides the exit code at the single CLI boundary.
 */

export type NaxErrorCode =
  | "CONFIG_INVALID"
  | "PRD_INVALID"
  | "PRD_NOT_FOUND"
  | "FEATURE_NOT_FOUND"
  | "FEATURE_EXISTS"
  | "NOT_INITIALISED"
  | "USAGE"
  | "WORKTREE_DIRTY"
  | "NOT_A_REPO"
  | "UNSUPPORTED_LAYOUT"
  | "LOCK_HELD"
  | "AGENT_NOT_FOUND"
  | "AGENT_UNUSABLE"
  /** A check `nax run` shares with `nax precheck` failed (exit 1, as `nax precheck` exits). */
  | "PRECHECK_FAILED"
  | "STATE_WRITE_FAILED"
  /** A state file nax wrote no longer parses (the control commands' applied ledger). */
  | "STATE_INVALID"
  | "RUN_NOT_FOUND"
  | "GIT_FAILED"
  | "ROUTING_FAILED"
  /** `nax worker`: the job file is not a job (exit 2, nothing cloned or spent). */
  | "JOB_INVALID"
  | "INTERNAL";

export class NaxError extends Error {
  readonly code: NaxErrorCode;
  readonly context: Record<string, unknown>;

  constructor(code: NaxErrorCode, message: string, options: { cause?: unknown; [key: string]: unknown } = {}) {
    const { cause, ...context } = options;
    super(message, cause === undefined ? undefined : { cause });
    this.name = "NaxError";
    this.code = code;
    this.context = context;
  }
}

export function isNaxError(value: unknown, code?: NaxErrorCode): value is NaxError {
  return value instanceof NaxError && (code === undefined || value.code === code);
}

/** Exit codes (README "Commands"): 0 ok, 1 run failed, 2 usage/config/PRD, 3 lock held, 130/143 interrupted. */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof NaxError)) return 1;
  switch (error.code) {
    case "LOCK_HELD":
      return 3;
    case "CONFIG_INVALID":
    case "PRD_INVALID":
    case "PRD_NOT_FOUND":
    case "FEATURE_NOT_FOUND":
    case "FEATURE_EXISTS":
    case "NOT_INITIALISED":
    case "USAGE":
    case "WORKTREE_DIRTY":
    case "NOT_A_REPO":
    case "UNSUPPORTED_LAYOUT":
    case "RUN_NOT_FOUND":
    case "STATE_INVALID":
    case "JOB_INVALID":
      return 2;
    default:
      return 1;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
