/** Run ids: `run-` + ISO time with `:` and `.` replaced by `-`. One id for status, log and registry. */

export const RUN_ID_PATTERN = /^run-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z(-[a-z0-9]+)?$/;

export function createRunId(nowMs: number): string {
  return `run-${new Date(nowMs).toISOString().replace(/[:.]/g, "-")}`;
}
