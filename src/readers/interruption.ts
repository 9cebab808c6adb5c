/**
 * How a run stopped by a signal is told: `interrupted by SIGINT (Ctrl-C)`,
 * not "crashed" or "stopped without a final event". A deliberate Ctrl-C is
 * the user's choice, not a fault; `status` and `diagnose` say so. Pure.
 */

const WHY: Record<string, string> = {
  SIGINT: "Ctrl-C",
  SIGTERM: "asked to stop",
  SIGHUP: "the terminal closed",
};

export function describeInterruption(signal: string): string {
  const why = WHY[signal];
  return `interrupted by ${signal}${why ? ` (${why})` : ""}`;
}
