/**
 * Small pure formatters shared by the human-facing subscribers (event log
 * messages, progress file, console reporter), so a cost or a duration reads
 * the same everywhere.
 */

export { formatCost } from "../utils/format-cost";

/** `850ms`, `42s`, `1m12s`, `2h03m`. */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, Number.isFinite(ms) ? ms : 0);
  if (safe < 1000) return `${Math.round(safe)}ms`;
  const totalSeconds = Math.floor(safe / 1000);
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (totalMinutes < 60) return `${totalMinutes}m${String(seconds).padStart(2, "0")}s`;
  const hours = Math.floor(totalMinutes / 60);
  return `${hours}h${String(totalMinutes % 60).padStart(2, "0")}m`;
}

/** `1 attempt`, `2 attempts`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** ISO time without milliseconds: `2026-03-07T05:31:00Z`. */
export function isoSeconds(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, "Z");
}
