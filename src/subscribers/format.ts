/**
 * Small pure formatters shared by the human-facing subscribers (event log
 * messages, progress file, console reporter), so a cost or a duration reads
 * the same everywhere.
 */

/** Decimals beyond which a positive cost is shown as `<$0.000001` rather than rounded to zero. */
const MAX_COST_DECIMALS = 6;

/**
 * The one way nax writes money for people: cents from one cent up (`$0.42`,
 * `$12.35`); below a cent, two significant digits, so a real cost never reads
 * as zero (`$0.0003`, `$0.0042`); nothing spent is `$0.00`.
 */
export function formatCost(usd: number): string {
  const value = Number.isFinite(usd) ? usd : 0;
  if (value === 0) return "$0.00";
  const sign = value < 0 ? "-" : "";
  const amount = Math.abs(value);
  if (amount >= 0.01) return `${sign}$${amount.toFixed(2)}`;
  const decimals = Math.min(MAX_COST_DECIMALS, Math.ceil(-Math.log10(amount)) + 1);
  const text = amount.toFixed(decimals);
  if (Number(text) === 0) return `${sign}<$${(10 ** -MAX_COST_DECIMALS).toFixed(MAX_COST_DECIMALS)}`;
  // Trailing zeros go (`0.00030` → `0.0003`), but never below two decimals (`0.0100` → `0.01`).
  const [whole, fraction = ""] = text.split(".");
  return `${sign}$${whole}.${fraction.replace(/0+$/, "").padEnd(2, "0")}`;
}

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
