/**
 * Story records in the shapes the nax reference (0.22.x) wrote, read as nax's
 * own: a prior failure with `modelTier`/`timestamp`/`testFailures`, an
 * escalation with `timestamp`. The PRD schema applies these before it
 * validates, so a reference prd.json loads as it is and is saved in nax's
 * shape on the next write; `nax migrate` applies the same mapping and reports
 * it. Pure.
 */

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The reference listed failing tests as objects; nax keeps their names. */
function testName(item: unknown): string {
  if (typeof item === "string") return item;
  if (isRecord(item)) {
    const name = item.testName ?? item.name ?? item.title;
    const file = item.file;
    if (typeof name === "string") return typeof file === "string" ? `${file} > ${name}` : name;
  }
  return JSON.stringify(item);
}

export function normalizePriorFailure(raw: unknown, index: number): unknown {
  if (!isRecord(raw)) return raw;
  const out: Json = { ...raw };
  if (out.tier === undefined && typeof out.modelTier === "string") out.tier = out.modelTier;
  delete out.modelTier;
  if (out.at === undefined && typeof out.timestamp === "string") out.at = out.timestamp;
  delete out.timestamp;
  if (out.failingTests === undefined && Array.isArray(out.testFailures))
    out.failingTests = out.testFailures.map(testName);
  delete out.testFailures;
  if (out.attempt === undefined) out.attempt = index + 1;
  if (out.stage === undefined) out.stage = "unknown";
  if (out.summary === undefined) {
    const text = out.reason ?? out.error ?? out.message;
    out.summary = typeof text === "string" ? text : "(no summary recorded)";
  }
  return out;
}

export function normalizeEscalation(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const out: Json = { ...raw };
  if (out.at === undefined && typeof out.timestamp === "string") out.at = out.timestamp;
  delete out.timestamp;
  if (out.reason === undefined) out.reason = "(no reason recorded)";
  return out;
}

/** The fields of a story record that use a reference shape, by name (for `nax migrate`'s report). */
export function referenceShapesIn(story: Json): string[] {
  const found: string[] = [];
  const failures = Array.isArray(story.priorFailures) ? story.priorFailures.filter(isRecord) : [];
  for (const key of ["modelTier", "timestamp", "testFailures"]) {
    if (failures.some((f) => key in f)) found.push(`priorFailures[].${key}`);
  }
  const escalations = Array.isArray(story.escalations) ? story.escalations.filter(isRecord) : [];
  if (escalations.some((e) => "timestamp" in e)) found.push("escalations[].timestamp");
  return found;
}
