/**
 * The RED judgement of one new test file, from nax's own run of that file
 * alone (never from the agent's report). RED means the file's tests were
 * collected and ran and at least one failed for a behavioural reason: an
 * assertion, or a call into behaviour that does not exist yet. A file that
 * cannot load (syntax error, missing import, collection error) is not RED,
 * and neither is one whose tests already pass.
 */
import type { TestFailure, TestRunResult } from "../verification/types";

export type RedVerdict = "red" | "already-passing" | "uncollectable";

export interface RedJudgement {
  file: string;
  verdict: RedVerdict;
  /** Said to the test writer and recorded: what nax saw. */
  evidence: string;
  /** Failing tests that count as RED. */
  behavioural: string[];
}

/** The parsers' names for a file-level failure (bun, jest, vitest, pytest, go, cargo). */
const LOAD_FAILURE_NAMES = [
  /^\(unhandled error between tests\)$/,
  /^\(test suite failed to run\)$/,
  /^\(test file failed to (load|run)\)$/,
  /^\(error collecting /,
  /^ERROR collecting /,
  /^\[(build|setup) failed\]/,
  /^\(build failed\)$/,
];

/** Messages that say the file never loaded, whatever the test's name. */
const LOAD_FAILURE_MESSAGES = [
  /\bSyntaxError\b/,
  /\bUnexpected (token|;|end of|identifier)/i,
  /\bCannot find (module|package)\b/,
  /\bCould not resolve\b/,
  /\bERR_MODULE_NOT_FOUND\b/,
  /\bModuleNotFoundError\b/,
  /\bImportError\b/,
  /\bIndentationError\b/,
  /\berror collecting\b/i,
  /\bcollection failure\b/i,
  /\bTransform failed\b/,
  /\bFailed to load\b/,
  /\bcould not compile\b/,
  /\berror\[E\d+\]/,
  /\bundefined: \w/,
];

export function isLoadFailure(failure: TestFailure): boolean {
  return (
    LOAD_FAILURE_NAMES.some((pattern) => pattern.test(failure.name)) ||
    LOAD_FAILURE_MESSAGES.some((pattern) => pattern.test(failure.message))
  );
}

function firstLine(text: string): string {
  return (text.split("\n").find((line) => line.trim() !== "") ?? "").trim().slice(0, 300);
}

export function judgeRed(file: string, run: TestRunResult): RedJudgement {
  const judged = (verdict: RedVerdict, evidence: string, behavioural: string[] = []): RedJudgement => ({
    file,
    verdict,
    evidence,
    behavioural,
  });
  if (run.termination !== "exited")
    return judged("uncollectable", `\`${run.command}\` did not finish (${run.termination})`);
  const load = run.failures.filter(isLoadFailure);
  const behavioural = run.failures.filter((failure) => !isLoadFailure(failure));
  if (load.length > 0) {
    const shown = load.map((f) => `${f.name}: ${firstLine(f.message)}`).join("; ");
    return judged("uncollectable", `${file} did not load: ${shown}`);
  }
  if (behavioural.length > 0) {
    return judged(
      "red",
      `${behavioural.length} test(s) of ${file} fail: ${behavioural.map((f) => f.name).join(", ")}`,
      behavioural.map((f) => f.name),
    );
  }
  if (run.failedCount > 0 || (run.exitCode !== 0 && run.passedCount === 0)) {
    return judged(
      "uncollectable",
      `${file}: \`${run.command}\` exited ${run.exitCode} with ${run.failedCount} failure(s) but no failing test by name (${firstLine(run.summary)})`,
    );
  }
  if (run.passedCount === 0)
    return judged("uncollectable", `${file}: no test was collected (${firstLine(run.summary)})`);
  return judged("already-passing", `all ${run.passedCount} test(s) of ${file} already pass before any implementation`);
}

/** The gate's answer over every new test file: RED only when each one is. */
export function summariseRed(judgements: readonly RedJudgement[]): { red: boolean; evidence: string } {
  const bad = judgements.filter((j) => j.verdict !== "red");
  if (judgements.length === 0) return { red: false, evidence: "the test writer added no test file" };
  if (bad.length === 0) return { red: true, evidence: judgements.map((j) => j.evidence).join("\n") };
  return { red: false, evidence: bad.map((j) => `${j.verdict}: ${j.evidence}`).join("\n") };
}
