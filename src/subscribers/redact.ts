/**
 * The last guard before an event leaves the process (event log, JSONL
 * output, hook stdin): values under secret-looking keys are replaced, at any
 * depth. Payloads are not meant to carry secrets; a caller's `data` extras
 * might, and logs must never print API keys or env values (README "What nax guarantees").
 */

/** Singular `...token` only: `inputTokens`/`outputTokens` are counts, not credentials. */
const SECRET_KEY = /(api[-_]?key|secret|password|authorization|credential|token$|^env$)/i;

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? "[redacted]" : redactSecrets(item, depth + 1);
  }
  return out;
}
