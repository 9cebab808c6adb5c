/**
 * When a rate limit lifts, read from the text an agent CLI prints with it:
 * every CLI words it its own way, so this knows the forms seen so far.
 */

/**
 * A reset time in the error text: `…|<epoch seconds>` (plan usage limits),
 * `retry after N seconds`, `try again in N seconds|minutes|hours`.
 */
export function parseResetTime(text: string, now: number): number | undefined {
  const epoch = /\|(\d{10})\b/.exec(text);
  if (epoch?.[1]) return Math.max(0, Number(epoch[1]) * 1000 - now);
  const relative =
    /(?:retry after|try again in)\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec(?:ond)?s?|m|min(?:ute)?s?|h|hours?)?\b/i.exec(
      text,
    );
  if (!relative?.[1]) return undefined;
  const value = Number(relative[1]);
  const unit = (relative[2] ?? "s").toLowerCase();
  if (unit.startsWith("ms") || unit.startsWith("milli")) return Math.round(value);
  if (unit.startsWith("h")) return Math.round(value * 3_600_000);
  if (unit === "m" || unit.startsWith("min")) return Math.round(value * 60_000);
  return Math.round(value * 1000);
}
