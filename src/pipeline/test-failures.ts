/** How failing tests are named in escalation reasons and events. Pure. */
import type { TestRunResult } from "../verification/types";

const MAX_NAMED = 10;

export function failingTestNames(result: TestRunResult): string[] {
  return result.failures.map((f) => (f.file ? `${f.file} > ${f.name}` : f.name));
}

/** One line: the failing tests by name, or why the run failed when the output named none. */
export function describeFailures(result: TestRunResult): string {
  const names = failingTestNames(result);
  if (names.length === 0) {
    if (result.termination !== "exited") return `\`${result.command}\` did not finish (${result.termination})`;
    return `\`${result.command}\` failed (exit ${result.exitCode ?? "none"}, ${result.failedCount} failing)`;
  }
  const shown = names.slice(0, MAX_NAMED).join(", ");
  return names.length > MAX_NAMED ? `${shown} and ${names.length - MAX_NAMED} more` : shown;
}
