/**
 * Reads the report a planned run wrote. A report that is missing is not an
 * error (an old runner version, a config that overrides the reporter): the
 * text parsers read the output instead. A report that exists but cannot be
 * read is a failure of the run, never a pass (trap 22).
 */
import { readJestJson } from "./jest-json";
import { readJunit } from "./junit";
import type { ReportPlan } from "./plan";
import type { ReportRead } from "./types";

export type { ReportPlan } from "./plan";
export { planReport } from "./plan";
export type { ReportRead } from "./types";

export type ReportOutcome = ReportRead | { ok: false; missing: true };

export function readReport(plan: ReportPlan, text: string | undefined): ReportOutcome {
  if (text === undefined) return { ok: false, missing: true };
  if (text.trim().length === 0) return { ok: false, problem: "the report file is empty" };
  if (plan.format === "jest-json") return readJestJson(text);
  return readJunit(text, plan.runner === "pytest" ? "pytest" : "bun");
}
