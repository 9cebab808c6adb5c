/**
 * Review and autofix commands: `quality.commands.lint` / `typecheck` as
 * checks whose failure the autofix stage repairs, and `lintFix` / `formatFix`
 * as the mechanical repair itself. A command that is not configured is
 * skipped (absent from the result), not an error. Each command's result is
 * data; its output is capped for prompts.
 */
import type { NaxConfig } from "../config/schema";
import type { Env, Redactor } from "../system/secrets";
import type { Spawner } from "../system/spawn";
import { capText } from "./cap-text";
import { stripAnsi } from "./parsers/text";
import { runShell, type ShellRun, type Termination } from "./run-shell";
import type { CommandCheckResult, ReviewResult } from "./types";

export const REVIEW_OUTPUT_MAX_CHARS = 4096;

type Commands = NaxConfig["quality"]["commands"];

export interface ReviewOptions {
  cwd: string;
  commands: Commands;
  requireLint: boolean;
  requireTypecheck: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface FixCommandResult {
  name: "lintFix" | "formatFix";
  command: string;
  /** Exited 0. */
  ok: boolean;
  exitCode: number | null;
  termination: Termination;
  output: string;
  durationMs: number;
}

export interface FixOptions {
  cwd: string;
  commands: Commands;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Reviewer {
  review(options: ReviewOptions): Promise<ReviewResult>;
  /** Runs `lintFix` then `formatFix` (those configured), in that order: formatting last settles the layout. */
  runFixCommands(options: FixOptions): Promise<{ ran: FixCommandResult[] }>;
}

function exitedZero(run: ShellRun): boolean {
  return run.termination === "exited" && run.exitCode === 0 && run.signal === null;
}

function describe(run: ShellRun, timeoutMs?: number): string {
  const output = stripAnsi(run.output).trim();
  const prefix =
    run.termination === "timeout"
      ? `Timed out${timeoutMs ? ` after ${Math.round(timeoutMs / 1000)} s` : ""}.\n`
      : run.termination === "aborted"
        ? "Aborted.\n"
        : run.termination === "not-found"
          ? "Could not start the command.\n"
          : "";
  return capText(`${prefix}${output}`, REVIEW_OUTPUT_MAX_CHARS);
}

/** `redactor`: the run's; each command's output is redacted before it is capped. */
export function createReviewer(deps: { spawn: Spawner; env: Env; redactor?: Pick<Redactor, "text"> }): Reviewer {
  const run = (cwd: string, command: string, options: { timeoutMs?: number; signal?: AbortSignal }) =>
    runShell(deps.spawn, deps.env, {
      cwd,
      command,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      redact: deps.redactor?.text,
    });

  return {
    async review(options) {
      const wanted: Array<{ name: CommandCheckResult["name"]; command: string | undefined; required: boolean }> = [
        { name: "lint", command: options.commands.lint, required: options.requireLint },
        { name: "typecheck", command: options.commands.typecheck, required: options.requireTypecheck },
      ];
      const checks: CommandCheckResult[] = [];
      // One after the other: lint and typecheck both load the whole project, two cores cannot run both well.
      for (const check of wanted) {
        if (!check.required || !check.command) continue;
        const shell = await run(options.cwd, check.command, options);
        checks.push({
          name: check.name,
          command: check.command,
          passed: exitedZero(shell),
          exitCode: shell.exitCode,
          termination: shell.termination,
          output: describe(shell, options.timeoutMs),
          durationMs: shell.durationMs,
        });
        if (shell.termination === "aborted") break;
      }
      return { passed: checks.every((check) => check.passed), checks };
    },

    async runFixCommands(options) {
      const ran: FixCommandResult[] = [];
      for (const name of ["lintFix", "formatFix"] as const) {
        const command = options.commands[name];
        if (!command) continue;
        const shell = await run(options.cwd, command, options);
        ran.push({
          name,
          command,
          ok: exitedZero(shell),
          exitCode: shell.exitCode,
          termination: shell.termination,
          output: describe(shell, options.timeoutMs),
          durationMs: shell.durationMs,
        });
        if (shell.termination === "aborted") break;
      }
      return { ran };
    },
  };
}
