/** What reading a machine-readable test report gives: the counts, or why the report cannot be trusted. */
import type { ParsedCounts } from "../parsers/types";

export type ReportRead = { ok: true; counts: ParsedCounts } | { ok: false; problem: string };
