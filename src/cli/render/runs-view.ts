/** `nax runs` as a table: one row per run with its own outcome, newest first, and a footer. */
import type { RunsListing } from "../../readers/registry";
import { formatCost, formatDate, formatDuration, paintStatus } from "./format";
import type { Paint } from "./paint";
import { renderTable } from "./table";

const COLUMNS = [
  { header: "RUN ID" },
  { header: "PROJECT" },
  { header: "FEATURE" },
  { header: "STATUS" },
  { header: "STORIES", align: "right" as const },
  { header: "DURATION", align: "right" as const },
  { header: "COST", align: "right" as const },
  { header: "DATE" },
];

export function renderRuns(listing: RunsListing, paint: Paint, filtered: { status?: string }): string[] {
  const lines: string[] = [];
  if (listing.rows.length === 0) {
    lines.push(
      listing.considered === 0
        ? `no runs registered in ${listing.runsDir}`
        : `no ${filtered.status ?? ""} runs among ${listing.considered ?? "the"} registered`.replace("  ", " "),
    );
  } else {
    const rows = listing.rows.map((r) => {
      const available = r.status !== "unavailable";
      return [
        r.runId,
        r.label,
        r.feature,
        paintStatus(paint, r.status),
        available ? `${r.passed}/${r.total}` : "-",
        available ? formatDuration(r.durationMs) : "-",
        available ? formatCost(r.costUsd) : "-",
        formatDate(r.startedAt ?? r.registeredAt),
      ];
    });
    lines.push(...renderTable(COLUMNS, rows, paint.bold));
    const which = filtered.status ? ` (status ${filtered.status}, searched newest first)` : "";
    const of = listing.considered === undefined ? "the newest runs" : String(listing.considered);
    lines.push("", paint.dim(`showing ${listing.rows.length} of ${of}${which}`));
  }
  if (listing.skipped > 0) {
    const noun = listing.skipped === 1 ? "entry" : "entries";
    lines.push(paint.warn(`${listing.skipped} unreadable registry ${noun} skipped`));
  }
  return lines;
}
