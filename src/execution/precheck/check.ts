/**
 * One precheck's answer and how it reads. `nax precheck` prints every check
 * with `describeCheck`, and `nax run` refuses with `refusalMessage` built from
 * the same lines, so the user sees the same words from both.
 */
export type CheckStatus = "pass" | "warn" | "fail";

export interface CheckResult {
  /** A short label: "git repository", "test command". */
  name: string;
  status: CheckStatus;
  /** One line: what was found. */
  detail: string;
  /** What to do about a warning or a failure. */
  fix?: string;
}

export function check(name: string, status: CheckStatus, detail: string, fix?: string): CheckResult {
  return fix === undefined ? { name, status, detail } : { name, status, detail, fix };
}

/** `<name>: <detail>` plus the fix: the line both commands print for a check. */
export function describeCheck(result: CheckResult): string {
  return `${result.name}: ${result.detail}${result.fix ? ` (fix: ${result.fix})` : ""}`;
}

export function failedChecks(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => r.status === "fail");
}

/** `nax run`'s refusal: every failed check, in `nax precheck`'s words. */
export function refusalMessage(failed: readonly CheckResult[]): string {
  const lines = failed.map((r) => `  ${describeCheck(r)}`);
  return [`precheck failed; no story was started:`, ...lines, "run `nax precheck` to see every check"].join("\n");
}
