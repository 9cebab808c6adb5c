/** `nax runs` as a table: one row per run with its own outcome, newest first, and a footer. */
import type { RunRow, RunsListing } from "../../readers/registry";
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

/** The PROJECT cell says which name it shows: the folder's, and the PRD's `project` when that differs. */
export function projectCell(row: Pick<RunRow, "label" | "prdProject" | "matchedBy">): string {
  if (row.prdProject === null || row.prdProject === row.label) return row.label;
  return row.matchedBy === "prd"
    ? `${row.prdProject} (prd; folder ${row.label})`
    : `${row.label} (folder; prd ${row.prdProject})`;
}

function emptyMessage(listing: RunsListing, filtered: { status?: string; project?: string }): string {
  if (listing.registered === 0) return `no runs registered in ${listing.runsDir}`;
  if (filtered.project !== undefined && listing.considered === 0) {
    const known = listing.knownProjects ?? [];
    const shown =
      known.length <= 10 ? known.join(", ") : `${known.slice(0, 10).join(", ")} and ${known.length - 10} more`;
    return `no runs of project "${filtered.project}" among ${listing.registered ?? "the"} registered (it is matched against each run's prd.json project and folder name; known: ${shown})`;
  }
  if (listing.considered === 0) return `no runs registered in ${listing.runsDir}`;
  return `no ${filtered.status ?? ""} runs among ${listing.considered ?? "the"} registered`.replace("  ", " ");
}

export function renderRuns(
  listing: RunsListing,
  paint: Paint,
  filtered: { status?: string; project?: string },
): string[] {
  const lines: string[] = [];
  if (listing.rows.length === 0) {
    lines.push(emptyMessage(listing, filtered));
  } else {
    const rows = listing.rows.map((r) => {
      const available = r.status !== "unavailable";
      return [
        r.runId,
        projectCell(r),
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
