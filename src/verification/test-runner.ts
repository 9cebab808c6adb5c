/**
 * The test runner: runs the user's test command and decides pass or fail.
 * SPEC §9 trap 22 is the point: verification must fail closed. `passed` needs
 * ALL of: the command exited 0 (not a timeout, abort, signal or missing
 * shell), the parsed output shows no failing test, and, when we know the
 * runner, its summary parsed at all. An unknown runner falls back to the exit
 * code alone, which is the only evidence there is.
 */
import type { Env, Redactor } from "../system/secrets";
import type { Spawner } from "../system/spawn";
import { type ParsedTestOutput, parseTestOutput } from "./parsers/index";
import { runShell, type ShellRun } from "./run-shell";
import { buildTestSummary } from "./test-summary";
import type { TestRunResult } from "./types";

export interface TestRunOptions {
  cwd: string;
  /** The user's configured command string, run with `sh -c`. */
  command: string;
  scope: "scoped" | "full";
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface TestRunner {
  run(options: TestRunOptions): Promise<TestRunResult>;
}

/** The decision rule, pure: exposed for tests and for anything that re-judges a stored run. */
export function decidePassed(run: ShellRun, parsed: ParsedTestOutput): boolean {
  if (run.termination !== "exited" || run.exitCode !== 0 || run.signal !== null) return false;
  if (parsed.parser === "exit-code") return true;
  return parsed.recognised && parsed.failedCount === 0 && parsed.failures.length === 0;
}

/** `env`: the commands' environment, `qualityCommandEnv(...)` (no secrets). */
/** `redactor`: the run's; the output is redacted before it is parsed and capped into a summary. */
export function createTestRunner(deps: { spawn: Spawner; env: Env; redactor?: Pick<Redactor, "text"> }): TestRunner {
  return {
    async run(options) {
      const shell = await runShell(deps.spawn, deps.env, { ...options, redact: deps.redactor?.text });
      const parsed =
        shell.termination === "not-found"
          ? parseTestOutput({ command: options.command, output: "", exitCode: null })
          : parseTestOutput({ command: options.command, output: shell.output, exitCode: shell.exitCode });
      return {
        passed: decidePassed(shell, parsed),
        command: options.command,
        scope: options.scope,
        exitCode: shell.exitCode,
        termination: shell.termination,
        parser: parsed.parser,
        passedCount: parsed.passedCount,
        failedCount: parsed.failedCount,
        failures: parsed.failures,
        summary: buildTestSummary(shell, parsed, { timeoutMs: options.timeoutMs }),
        durationMs: shell.durationMs,
      };
    },
  };
}
