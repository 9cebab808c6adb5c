/**
 * Verification results as data. A result is `passed` only when the command
 * exited 0 AND the parsed output shows no failure (trap 22, docs/traps.md).
 */

export interface TestFailure {
  name: string;
  file?: string;
  message: string;
}

export interface TestRunResult {
  passed: boolean;
  command: string;
  scope: "scoped" | "full";
  exitCode: number | null;
  /** "exited", or why it did not finish. */
  termination: "exited" | "timeout" | "aborted" | "not-found";
  /** Which parser read the output; "exit-code" when none recognised it. */
  parser: string;
  /** "report" when the counts and failures come from the runner's machine-readable report, else "output". */
  source?: "report" | "output";
  passedCount: number;
  failedCount: number;
  failures: TestFailure[];
  /** Capped text for prompts and logs. */
  summary: string;
  durationMs: number;
}

export interface CommandCheckResult {
  /** `plugin:<name>`: a plugin's review gate (src/plugins/reviewer.ts). */
  name: "lint" | "typecheck" | `plugin:${string}`;
  command: string;
  passed: boolean;
  exitCode: number | null;
  termination: "exited" | "timeout" | "aborted" | "not-found";
  /** Capped output for prompts. */
  output: string;
  durationMs: number;
}

export interface ReviewResult {
  passed: boolean;
  checks: CommandCheckResult[];
}
