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

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal colour sequences is the point.
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/**
 * The text cut to `width` visible characters, ending in `…` when something
 * was cut: a terminal line that fits instead of one that wraps. Colour
 * sequences are not counted and all are kept, so a cut never leaves a colour
 * switched on. Width undefined or below 1: unchanged.
 */
export function cutToWidth(text: string, width: number | undefined): string {
  if (width === undefined || width < 1) return text;
  const chars = [...text.replace(ANSI, "")];
  if (chars.length <= width) return text;
  let room = width - 1;
  let out = "";
  let last = 0;
  for (const match of text.matchAll(ANSI)) {
    const plain = [...text.slice(last, match.index)];
    out += plain.slice(0, Math.max(0, room)).join("") + match[0];
    room -= plain.length;
    last = match.index + match[0].length;
  }
  out += [...text.slice(last)].slice(0, Math.max(0, room)).join("");
  return `${out}…`;
}
