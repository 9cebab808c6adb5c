/**
 * The pass-or-fail rule for one test run, pure (trap 22: fail closed). The
 * command must have exited 0 by itself. Then, when the runner wrote the
 * report nax asked for, the report's counts decide, and its failures (full
 * names, files, messages) are the ones listed; the text parser still reads
 * the output, and more failures there than in the report is a contradiction,
 * so a failure. A report that exists but cannot be read is a failure. No
 * report: the text parser's reading decides, as `decidePassed` says.
 */
import { describeContradiction, type ParsedTestOutput, relativeTo } from "./parsers/index";
import type { ReportOutcome } from "./reports/index";
import type { ShellRun } from "./run-shell";

export interface Judgement {
  passed: boolean;
  parsed: ParsedTestOutput;
}

/** The rule without a report: exit 0, and a recognised summary with no failure when the runner is known. */
export function decidePassed(run: ShellRun, parsed: ParsedTestOutput): boolean {
  if (run.termination !== "exited" || run.exitCode !== 0 || run.signal !== null) return false;
  if (parsed.parser === "exit-code") return true;
  return parsed.recognised && parsed.failedCount === 0 && parsed.failures.length === 0;
}

export function judgeRun(input: {
  run: ShellRun;
  text: ParsedTestOutput;
  report?: ReportOutcome;
  runner?: ParsedTestOutput["parser"];
  cwd?: string;
}): Judgement {
  const { run, text, report } = input;
  const exitedCleanly = run.termination === "exited" && run.exitCode === 0 && run.signal === null;
  const runner = input.runner ?? text.parser;
  if (!report || ("missing" in report && report.missing)) {
    return { passed: decidePassed(run, text), parsed: { ...text, source: "output" } };
  }
  if (!report.ok) {
    const problem = "problem" in report ? report.problem : "unreadable";
    const contradiction = `the ${runner} report could not be read (${problem}): treated as a failure`;
    return { passed: false, parsed: { ...text, source: "output", contradiction } };
  }
  const counts = report.counts;
  const failures = relativeTo(input.cwd, counts.failures);
  const textShowsMore = text.parser !== "exit-code" && text.recognised && text.failedCount > counts.failedCount;
  const contradiction = textShowsMore
    ? `the ${runner} report lists ${counts.failedCount} failing test(s) but the output shows ${text.failedCount}`
    : describeContradiction(run.exitCode, counts.failedCount, true);
  const parsed: ParsedTestOutput = {
    parser: runner,
    passedCount: counts.passedCount,
    failedCount: counts.failedCount,
    failures,
    recognised: true,
    source: "report",
    ...(contradiction ? { contradiction } : {}),
  };
  const passed = exitedCleanly && counts.failedCount === 0 && failures.length === 0 && !textShowsMore;
  return { passed, parsed };
}
