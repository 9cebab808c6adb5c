/**
 * A test command that cannot run at all (the shell says "not found", exit
 * 127, or "cannot execute", exit 126; or the shell itself is missing) is an
 * environment problem, not the story's: no agent session can fix it, so the
 * run stops after the first verification that shows it. Pure; the prefix is
 * what `nax diagnose` recognises in the run's exit reason.
 */
import type { TestRunResult } from "./types";

export const UNUSABLE_TEST_COMMAND = "the test command cannot run";

const WHY: Record<number, string> = { 126: "cannot execute", 127: "not found" };

export function unusableTestCommand(result: TestRunResult): string | undefined {
  const why =
    result.termination === "not-found"
      ? "no shell to run it"
      : result.termination === "exited" && result.exitCode !== null
        ? WHY[result.exitCode]
        : undefined;
  if (why === undefined) return undefined;
  const exit = result.exitCode === null ? "" : `, exit ${result.exitCode}`;
  const said = result.summary
    .trim()
    .split("\n")
    .find((line) => /not found|cannot execute|permission denied/i.test(line));
  return `${UNUSABLE_TEST_COMMAND}: \`${result.command}\` (${why}${exit})${said ? `: ${said.trim()}` : ""}`;
}
