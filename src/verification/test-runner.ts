/**
 * The test runner: runs the user's test command and decides pass or fail.
 * Trap 22 (docs/traps.md) is the point: verification must fail closed (judge.ts holds the
 * rule). When nax knows the runner it also asks for a machine-readable report
 * in a temp file outside the project (reports/plan.ts), read after the run and
 * removed whatever happens; the output is still read by the text parsers,
 * over the failure lines kept from the whole stream, not only its tail.
 */
import { join } from "node:path";
import type { Fs } from "../system/fs";
import type { Env, Redactor } from "../system/secrets";
import type { Spawner } from "../system/spawn";
import { judgeRun } from "./judge";
import { detectRunner, parseTestOutput } from "./parsers/index";
import type { ParseContext } from "./parsers/types";
import { planReport, type ReportPlan, readReport } from "./reports/index";
import { runShell } from "./run-shell";
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

/** Where report files go: a fresh path per run, outside the project, read then removed. */
export interface ReportFiles {
  path(ext: string): string;
  read(path: string): Promise<string | undefined>;
  remove(path: string): Promise<void>;
}

export function tempReportFiles(fs: Fs, dir: string, id: () => string): ReportFiles {
  return {
    path: (ext) => join(dir, `nax-test-report-${id()}.${ext}`),
    read: (path) => fs.readText(path),
    remove: (path) => fs.remove(path),
  };
}

async function parseContext(
  command: string,
  cwd: string,
  output: string,
  readText: ((path: string) => Promise<string | undefined>) | undefined,
): Promise<ParseContext> {
  if (!readText || detectRunner(command, output)?.name !== "go") return {};
  const goMod = await readText(join(cwd, "go.mod"));
  const module = goMod ? /^module\s+(\S+)/m.exec(goMod)?.[1] : undefined;
  return module ? { goModule: module.replace(/^"(.*)"$/, "$1") } : {};
}

export function createTestRunner(deps: {
  spawn: Spawner;
  /** The commands' environment, `qualityCommandEnv(...)` (no secrets). */
  env: Env;
  /** The run's: the output is redacted before it is parsed and capped into a summary. */
  redactor?: Pick<Redactor, "text">;
  /** Without it no report is asked for: the text parsers alone read the output. */
  reports?: ReportFiles;
  /** Reads the project's go.mod for go's package folders; without it go failures name base file names. */
  readText?: (path: string) => Promise<string | undefined>;
}): TestRunner {
  const reports = deps.reports;
  /** One run of `command`, read by the text parser and, with a plan, by its report. */
  const attempt = async (options: TestRunOptions, command: string, plan: ReportPlan | undefined) => {
    const shell = await runShell(deps.spawn, deps.env, {
      ...options,
      command,
      keepFailureLines: true,
      redact: deps.redactor?.text,
    });
    const text =
      shell.termination === "not-found"
        ? parseTestOutput({ command: options.command, output: "", exitCode: null })
        : parseTestOutput({
            command: options.command,
            output: shell.output,
            exitCode: shell.exitCode,
            cwd: options.cwd,
            context: await parseContext(options.command, options.cwd, shell.output, deps.readText),
          });
    // A run that did not finish has no trustworthy report: its verdict is already a failure.
    const report =
      plan && reports && shell.termination === "exited" ? readReport(plan, await reports.read(plan.path)) : undefined;
    return { shell, text, report };
  };
  return {
    async run(options) {
      const plan = reports ? planReport(options.command, (ext) => reports.path(ext)) : undefined;
      try {
        let { shell, text, report } = await attempt(options, plan?.command ?? options.command, plan);
        let note: string | undefined;
        // A runner that refuses the report flags (an old version, a config disabling the plugin) fails at once,
        // writes no report and prints no summary: run the user's command as written rather than fail a good story.
        const missing = report !== undefined && "missing" in report;
        if (plan && missing && shell.termination === "exited" && shell.exitCode !== 0 && !text.recognised) {
          ({ shell, text, report } = await attempt(options, options.command, undefined));
          note = `the command failed with nax's report flags (${plan.command.slice(options.command.length).trim()}) and wrote no report, so it ran again as written`;
        }
        const judged = judgeRun({
          run: shell,
          text,
          report,
          runner: report ? plan?.runner : undefined,
          cwd: options.cwd,
        });
        const { passed } = judged;
        const parsed = note
          ? { ...judged.parsed, contradiction: [note, judged.parsed.contradiction].filter(Boolean).join("; ") }
          : judged.parsed;
        return {
          passed,
          command: options.command,
          scope: options.scope,
          exitCode: shell.exitCode,
          termination: shell.termination,
          parser: parsed.parser,
          ...(parsed.source ? { source: parsed.source } : {}),
          passedCount: parsed.passedCount,
          failedCount: parsed.failedCount,
          failures: parsed.failures,
          summary: buildTestSummary(shell, parsed, { timeoutMs: options.timeoutMs }),
          durationMs: shell.durationMs,
        };
      } finally {
        if (plan && reports) await reports.remove(plan.path);
      }
    },
  };
}
