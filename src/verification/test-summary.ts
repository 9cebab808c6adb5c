/**
 * The capped text a failing (or passing) test run leaves for prompts and
 * logs: the verdict and why, then the failing tests (name, file, message),
 * then as much of the output's tail as still fits.
 */
import { tailText } from "./cap-text";
import type { ParsedTestOutput } from "./parsers/index";
import { stripAnsi } from "./parsers/text";
import type { ShellRun } from "./run-shell";

export const SUMMARY_MAX_CHARS = 4096;
/** Failures listed before the output tail; the rest are counted, not listed. */
const MAX_LISTED_FAILURES = 20;

export function describeVerdict(run: ShellRun, parsed: ParsedTestOutput, timeoutMs?: number): string {
  switch (run.termination) {
    case "timeout":
      return `Tests timed out${timeoutMs ? ` after ${Math.round(timeoutMs / 1000)} s` : ""}: failed.`;
    case "aborted":
      return "Tests were aborted before they finished: failed.";
    case "not-found":
      return `The test command could not be started: ${run.output}`;
    case "exited":
      break;
  }
  const counts = `${parsed.failedCount} failed, ${parsed.passedCount} passed`;
  const exit = run.signal ? `killed by ${run.signal}` : `exit code ${run.exitCode}`;
  if (parsed.parser === "exit-code") return `Unrecognised test runner output; judged by ${exit}.`;
  if (!parsed.recognised) {
    return `The ${parsed.parser} test output has no summary this parser recognises (${exit}): treated as a failure.`;
  }
  return `${counts} (${parsed.parser}${parsed.source === "report" ? " report" : ""}, ${exit}).`;
}

function describeFailures(parsed: ParsedTestOutput): string[] {
  const lines: string[] = [];
  for (const failure of parsed.failures.slice(0, MAX_LISTED_FAILURES)) {
    const where = failure.file ? ` (${failure.file})` : "";
    const message = failure.message ? `\n  ${failure.message.replace(/\n/g, "\n  ")}` : "";
    lines.push(`- ${failure.name}${where}${message}`);
  }
  const more = parsed.failures.length - MAX_LISTED_FAILURES;
  if (more > 0) lines.push(`- … and ${more} more failing test(s)`);
  return lines;
}

export function buildTestSummary(
  run: ShellRun,
  parsed: ParsedTestOutput,
  options: { timeoutMs?: number; maxChars?: number } = {},
): string {
  const maxChars = options.maxChars ?? SUMMARY_MAX_CHARS;
  const parts = [describeVerdict(run, parsed, options.timeoutMs)];
  if (parsed.contradiction) parts.push(`Note: ${parsed.contradiction}.`);
  const failures = describeFailures(parsed);
  if (failures.length > 0) parts.push(`Failing tests:\n${failures.join("\n")}`);
  let head = parts.join("\n");
  // The failure list must not crowd out the whole tail: keep at least a quarter of the budget for output.
  if (head.length > (maxChars * 3) / 4) head = `${head.slice(0, Math.floor((maxChars * 3) / 4))}…`;
  const output = stripAnsi(run.output).trim();
  if (output.length === 0 || run.termination === "not-found") return head;
  const label = "\n--- output (tail) ---\n";
  return `${head}${label}${tailText(output, maxChars - head.length - label.length)}`;
}
