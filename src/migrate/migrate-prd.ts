/**
 * Converts a prd.json written by the nax reference (0.22.x) to nax's shapes:
 * prior failures and escalations (prd/reference-shapes.ts, which the loader
 * also applies when it reads such a file) and `relevantFiles`, merged into
 * `contextFiles`. Everything else, known or not, is kept. Pure.
 */
import { normalizeEscalation, normalizePriorFailure, referenceShapesIn } from "../prd/reference-shapes";
import { type Change, isRecord, type Migrated } from "./changes";

function migrateStory(story: Record<string, unknown>, at: string, changes: Change[]): Record<string, unknown> {
  const out = { ...story };
  for (const shape of referenceShapesIn(story)) {
    changes.push({ kind: "converted", path: `${at}.${shape}`, detail: "the nax 0.22 field, renamed to nax's" });
  }
  if (Array.isArray(out.priorFailures)) out.priorFailures = out.priorFailures.map(normalizePriorFailure);
  if (Array.isArray(out.escalations)) out.escalations = out.escalations.map(normalizeEscalation);
  if (Array.isArray(out.relevantFiles)) {
    const context = Array.isArray(out.contextFiles) ? out.contextFiles : [];
    out.contextFiles = [...new Set([...context, ...out.relevantFiles])];
    delete out.relevantFiles;
    changes.push({ kind: "moved", from: `${at}.relevantFiles`, to: `${at}.contextFiles` });
  }
  return out;
}

export function migratePrd(raw: Record<string, unknown>): Migrated<Record<string, unknown>> {
  const changes: Change[] = [];
  if (!Array.isArray(raw.userStories)) return { value: raw, changes };
  const userStories = raw.userStories.map((story, index) =>
    isRecord(story) ? migrateStory(story, `userStories[${index}]`, changes) : story,
  );
  return { value: { ...raw, userStories }, changes };
}
