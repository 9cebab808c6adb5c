/**
 * nax's own RED run: each new test file run alone (the configured scoped
 * template, else the test command narrowed to that file), judged by
 * tdd/red.ts from the per-test results. A command that cannot be narrowed
 * runs once in full and each file is judged by the failures that name it.
 */
import { judgeRed, type RedJudgement } from "../tdd/red";
import { buildScopedCommand, fillScopedTemplate, type PathLookup } from "../verification/scoped-command";
import type { TestRunResult } from "../verification/types";
import type { TestRunnerLike } from "./ports";
import type { StoryContext } from "./stage";

function lookupFor(cwd: string, file: string): PathLookup {
  return { cwd, kind: (path) => (path === file ? "file" : file.startsWith(`${path}/`) ? "dir" : undefined) };
}

function ofFile(run: TestRunResult, file: string): TestRunResult {
  const failures = run.failures.filter((f) => f.file !== undefined && (f.file === file || f.file.endsWith(`/${file}`)));
  // The full run's passing count cannot be split by file: a file with no failure counts as collected and passing.
  return { ...run, failures, failedCount: failures.length, exitCode: failures.length > 0 ? run.exitCode : 0 };
}

export async function judgeTestFiles(
  ctx: StoryContext,
  tests: TestRunnerLike,
  files: readonly string[],
): Promise<RedJudgement[]> {
  const { commands } = ctx.config.quality;
  const command = commands.test;
  if (!command) {
    return files.map((file) => ({
      file,
      verdict: "uncollectable",
      evidence: "no test command is configured",
      behavioural: [],
    }));
  }
  const timeoutMs = ctx.config.execution.verificationTimeoutSeconds * 1000;
  const run = (cmd: string, scope: "scoped" | "full") =>
    tests.run({ cwd: ctx.workdir, command: cmd, scope, timeoutMs, signal: ctx.signal });
  let full: TestRunResult | undefined;
  const judged: RedJudgement[] = [];
  for (const file of files) {
    if (commands.testScoped) {
      judged.push(judgeRed(file, await run(fillScopedTemplate(commands.testScoped, [file]), "scoped")));
      continue;
    }
    const scoped = buildScopedCommand(command, [file], lookupFor(ctx.workdir, file));
    if (scoped.kind === "scoped") {
      judged.push(judgeRed(file, await run(scoped.command, "scoped")));
      continue;
    }
    full ??= await run(command, "full");
    const one = judgeRed(file, ofFile(full, file));
    judged.push({ ...one, evidence: `${one.evidence} (judged from the full run: ${scoped.reason})` });
  }
  return judged;
}
