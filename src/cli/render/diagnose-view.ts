/** `nax diagnose` as text: the computed run state with its evidence, one block per finding, numbered recommendations. */
import type { DiagnoseReport } from "../../readers/diagnose/schema";
import { formatCost } from "./format";
import type { Paint } from "./paint";

function paintState(paint: Paint, state: string): string {
  if (state === "completed") return paint.ok(state);
  if (state === "crashed" || state === "failed") return paint.error(state);
  if (state === "not-started" || state === "unknown") return paint.dim(state);
  return paint.warn(state);
}

export function renderDiagnosis(report: DiagnoseReport, paint: Paint, verbose: boolean): string[] {
  const run = report.run;
  const lines = [paint.bold(`Feature ${report.feature}`)];
  const id = run.runId ? ` (run ${run.runId})` : "";
  lines.push(`State: ${paintState(paint, run.state)}${id}`);
  if (run.runId) lines.push(`  stories ${run.passed}/${run.total} passed, ${formatCost(run.costUsd)}`);
  if (run.currentStoryId) {
    const verb = run.state === "running" ? "working on" : "was working on";
    lines.push(`  ${verb} ${run.currentStoryId}`);
  }
  for (const e of run.evidence) lines.push(paint.dim(`  - ${e}`));
  if (report.prdError) lines.push(paint.error(`prd.json: ${report.prdError}`));

  if (report.findings.length > 0) lines.push("", paint.bold("Findings"));
  for (const f of report.findings) {
    lines.push(`${paint.warn(`[${f.pattern}]`)} ${f.summary}`);
    const evidence = verbose ? f.evidence : f.evidence.slice(0, 4);
    for (const e of evidence) lines.push(paint.dim(`    ${e}`));
    if (evidence.length < f.evidence.length)
      lines.push(paint.dim(`    … ${f.evidence.length - evidence.length} more (--verbose)`));
    lines.push(`    fix: ${f.fix}`);
  }
  if (report.recommendations.length > 0) {
    lines.push("", paint.bold("Recommendations"));
    report.recommendations.forEach((r, i) => {
      lines.push(`${i + 1}. ${r}`);
    });
  }
  return lines;
}
