/**
 * Runs one user-configured command (`quality.commands.*`) as `sh -c <command>`
 * through the spawn helper: own process group, concurrent draining, timeouts.
 * The child sees `qualityCommandEnv`: nax's environment minus every
 * secret-named variable (unless `quality.keepEnvVars` lists it) and minus
 * `quality.stripEnvVars`, so keys never reach test or lint code (trap 30,
 * docs/traps.md). Shared by the test runner and review.
 * With `keepFailureLines`, every line is also shown to a failure-line keeper
 * as it streams, so `output` holds the failures of a run that printed far
 * more than the capped tail (go's `--- FAIL` before 20 MB of logs).
 */
import { type Env, isSecretName } from "../system/secrets";
import type { Spawner } from "../system/spawn";
import { FailureLineKeeper } from "./failure-lines";

export type Termination = "exited" | "timeout" | "aborted" | "not-found";

export interface ShellRun {
  termination: Termination;
  exitCode: number | null;
  /** Set when the child died of a signal. */
  signal: string | null;
  /** stdout then stderr (most runners print their report on stderr). */
  output: string;
  durationMs: number;
}

export interface ShellRunOptions {
  cwd: string;
  command: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * The run's redactor, applied to the whole output before anything summarises or caps it: a cap cutting
   * through a secret would leave a fragment no later redaction recognises.
   */
  redact?: (text: string) => string;
  /** Keep failure-relevant lines from the whole stream, not only the tail (test runs). */
  keepFailureLines?: boolean;
}

/** Runners keep up to this much output in memory (the tail); summaries are capped far below it. */
const MAX_BUFFER_BYTES = 1024 * 1024;
/** A test runner gets this long to clean up after SIGTERM before its group is killed. */
const KILL_GRACE_MS = 1000;

export interface QualityEnvPolicy {
  /** `quality.keepEnvVars`: secret-named variables the commands still get. */
  keep: readonly string[];
  /** `quality.stripEnvVars`: further names they never get. */
  strip: readonly string[];
  /** `security.redactEnvNames`: names treated as secrets although they do not look it. */
  secretNames: readonly string[];
}

/** The environment of every user quality command (test, lint, typecheck, fixers), computed once per run. */
export function qualityCommandEnv(env: Env, policy: QualityEnvPolicy): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || policy.strip.includes(key)) continue;
    if (isSecretName(key, policy.secretNames) && !policy.keep.includes(key)) continue;
    result[key] = value;
  }
  return result;
}

function joinStreams(stdout: string, stderr: string): string {
  if (stdout.length === 0) return stderr;
  if (stderr.length === 0) return stdout;
  return stdout.endsWith("\n") ? `${stdout}${stderr}` : `${stdout}\n${stderr}`;
}

/** `env` is the child's whole environment: callers pass `qualityCommandEnv(...)`. */
export async function runShell(spawn: Spawner, env: Env, options: ShellRunOptions): Promise<ShellRun> {
  const keepers = options.keepFailureLines ? { out: new FailureLineKeeper(), err: new FailureLineKeeper() } : undefined;
  const result = await spawn({
    cmd: ["sh", "-c", options.command],
    cwd: options.cwd,
    env: { ...env },
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    maxBufferBytes: MAX_BUFFER_BYTES,
    // Test runners and linters handle SIGTERM; SIGINT is the agent's convention, not theirs.
    stopSignal: "SIGTERM",
    killGraceMs: KILL_GRACE_MS,
    ...(keepers
      ? {
          onStdoutLine: (line: string) => keepers.out.push(line),
          onStderrLine: (line: string) => keepers.err.push(line),
        }
      : {}),
  });
  if (result.kind === "not-found") {
    return { termination: "not-found", exitCode: null, signal: null, output: result.message, durationMs: 0 };
  }
  const joined = keepers
    ? joinStreams(
        keepers.out.excerpt(result.stdout, result.stdoutTruncated),
        keepers.err.excerpt(result.stderr, result.stderrTruncated),
      )
    : joinStreams(result.stdout, result.stderr);
  const output = options.redact ? options.redact(joined) : joined;
  const signal = result.kind === "exited" ? result.signal : null;
  return { termination: result.kind, exitCode: result.exitCode, signal, output, durationMs: result.durationMs };
}
