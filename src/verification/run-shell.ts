/**
 * Runs one user-configured command (`quality.commands.*`) as `sh -c <command>`
 * through the spawn helper: own process group, concurrent draining, timeouts.
 * The child sees the full environment minus `quality.stripEnvVars`, so API
 * keys never reach test or lint code. Shared by the test runner and review.
 * With `keepFailureLines`, every line is also shown to a failure-line keeper
 * as it streams, so `output` holds the failures of a run that printed far
 * more than the capped tail (go's `--- FAIL` before 20 MB of logs).
 */
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
  stripEnvVars?: readonly string[];
  /** Keep failure-relevant lines from the whole stream, not only the tail (test runs). */
  keepFailureLines?: boolean;
}

/** Runners keep up to this much output in memory (the tail); summaries are capped far below it. */
const MAX_BUFFER_BYTES = 1024 * 1024;
/** A test runner gets this long to clean up after SIGTERM before its group is killed. */
const KILL_GRACE_MS = 1000;

export function childEnv(
  env: Readonly<Record<string, string | undefined>>,
  strip: readonly string[] = [],
): Record<string, string | undefined> {
  const stripped = new Set(strip);
  const result: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!stripped.has(key) && value !== undefined) result[key] = value;
  }
  return result;
}

function joinStreams(stdout: string, stderr: string): string {
  if (stdout.length === 0) return stderr;
  if (stderr.length === 0) return stdout;
  return stdout.endsWith("\n") ? `${stdout}${stderr}` : `${stdout}\n${stderr}`;
}

export async function runShell(
  spawn: Spawner,
  env: Readonly<Record<string, string | undefined>>,
  options: ShellRunOptions,
): Promise<ShellRun> {
  const keepers = options.keepFailureLines ? { out: new FailureLineKeeper(), err: new FailureLineKeeper() } : undefined;
  const result = await spawn({
    cmd: ["sh", "-c", options.command],
    cwd: options.cwd,
    env: childEnv(env, options.stripEnvVars),
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
  const output = keepers
    ? joinStreams(
        keepers.out.excerpt(result.stdout, result.stdoutTruncated),
        keepers.err.excerpt(result.stderr, result.stderrTruncated),
      )
    : joinStreams(result.stdout, result.stderr);
  const signal = result.kind === "exited" ? result.signal : null;
  return { termination: result.kind, exitCode: result.exitCode, signal, output, durationMs: result.durationMs };
}
