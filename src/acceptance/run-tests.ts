/**
 * Running acceptance tests with the project's own runner: one criterion's
 * file at a time, through `acceptance.command` (`{{files}}` filled in), else
 * `quality.commands.testScoped`, else the test command narrowed to the file
 * by the scoped-command builder. A command that cannot be narrowed to one
 * file is refused with the fix: a whole-suite run would not say which
 * criterion failed.
 */
import type { NaxConfig } from "../config/schema";
import type { TestRunnerLike } from "../pipeline/ports";
import { judgeRed, type RedJudgement } from "../tdd/red";
import { buildScopedCommand, fillScopedTemplate } from "../verification/scoped-command";
import type { TestRunResult } from "../verification/types";

export type CommandChoice = { ok: true; command: string } | { ok: false; problem: string };

export function acceptanceCommand(config: NaxConfig, cwd: string, file: string): CommandChoice {
  const template = config.acceptance.command ?? config.quality.commands.testScoped;
  if (template) return { ok: true, command: fillScopedTemplate(template, [file]) };
  const test = config.quality.commands.test;
  if (!test) return { ok: false, problem: "no test command is configured (quality.commands.test)" };
  const lookup = {
    cwd,
    kind: (path: string) =>
      path === file ? ("file" as const) : file.startsWith(`${path}/`) ? ("dir" as const) : undefined,
  };
  const scoped = buildScopedCommand(test, [file], lookup);
  if (scoped.kind === "scoped") return { ok: true, command: scoped.command };
  return {
    ok: false,
    problem: `\`${test}\` cannot be narrowed to ${file} (${scoped.reason}); set acceptance.command, e.g. "bun test {{files}}"`,
  };
}

export interface AcceptanceRunner {
  run(cwd: string, file: string, signal?: AbortSignal): Promise<TestRunResult | { problem: string }>;
}

export function createAcceptanceRunner(config: NaxConfig, tests: TestRunnerLike): AcceptanceRunner {
  return {
    async run(cwd, file, signal) {
      const choice = acceptanceCommand(config, cwd, file);
      if (!choice.ok) return { problem: choice.problem };
      const timeoutMs = config.execution.verificationTimeoutSeconds * 1000;
      // `nax accept rerun` has no run to stop it: a signal that never fires.
      return tests.run({
        cwd,
        command: choice.command,
        scope: "scoped",
        timeoutMs,
        signal: signal ?? new AbortController().signal,
      });
    },
  };
}

/** RED on the base, per test (tdd/red.ts): an assertion failure, never a file that does not load. */
export async function judgeAcceptanceRed(
  runner: AcceptanceRunner,
  cwd: string,
  file: string,
  signal?: AbortSignal,
): Promise<RedJudgement> {
  const run = await runner.run(cwd, file, signal);
  if ("problem" in run) return { file, verdict: "uncollectable", evidence: run.problem, behavioural: [] };
  return judgeRed(file, run);
}

/** One line for the state file and the console. */
export function passEvidence(run: TestRunResult | { problem: string }): { passed: boolean; evidence: string } {
  if ("problem" in run) return { passed: false, evidence: run.problem };
  if (run.passed) return { passed: true, evidence: `\`${run.command}\` passed (${run.passedCount} test(s))` };
  const names = run.failures.map((f) => f.name).slice(0, 5);
  const shown = names.length > 0 ? names.join(", ") : (run.summary.split("\n")[0] ?? "").slice(0, 200);
  return { passed: false, evidence: `\`${run.command}\` failed: ${shown}` };
}
