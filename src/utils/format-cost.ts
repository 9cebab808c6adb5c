/** Money for people, written one way everywhere (reporter, files, messages, readers). Pure. */

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
