/**
 * How the reader commands write numbers and times: durations `45m`,
 * `1h 2m`; costs `$0.42` (`$0.0003` below a cent); dates `2026-03-07 13:30` and clock times in local
 * time; a run status in its colour. Pure apart from the local time zone.
 */
import { formatCost as formatUsd } from "../../subscribers/format";
import type { Paint } from "./paint";

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "-";
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return minutes < 10 && totalSeconds % 60 > 0 ? `${minutes}m ${totalSeconds % 60}s` : `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 > 0 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
}

/** The subscribers' money format (sub-cent costs stay non-zero), with `-` for an unknown cost. */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return "-";
  return formatUsd(usd);
}

const pad2 = (n: number) => String(n).padStart(2, "0");

function toDate(iso: string | null | undefined): Date | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isFinite(date.getTime()) ? date : undefined;
}

/** `2026-03-07 13:30` in local time. */
export function formatDate(iso: string | null | undefined): string {
  const d = toDate(iso);
  if (!d) return "-";
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** `13:30:05` in local time. */
export function formatClock(iso: string | null | undefined): string {
  const d = toDate(iso);
  if (!d) return "--:--:--";
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** `12s ago`, `3m ago`. */
export function formatAge(ms: number | null | undefined): string {
  const text = formatDuration(ms);
  return text === "-" ? "never" : `${text} ago`;
}

/** A run or story status in its colour: green done, red broken, yellow stuck, dim unknown. */
export function paintStatus(paint: Paint, status: string): string {
  switch (status) {
    case "completed":
    case "passed":
      return paint.ok(status);
    case "failed":
    case "crashed":
    case "precheck-failed":
      return paint.error(status);
    case "stalled":
    case "interrupted":
    case "paused":
    case "blocked":
    case "running":
    case "in-progress":
      return paint.warn(status);
    case "unavailable":
      return paint.dim("[unavailable]");
    default:
      return paint.dim(status);
  }
}
