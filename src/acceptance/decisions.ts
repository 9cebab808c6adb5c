/**
 * People's decisions about acceptance criteria, pure: which entry a name
 * like `US-001/AC-2`, `US-001-AC-2` or a story-unique `AC-2` means, an
 * override (the failing or flagged criterion is let through, with who, when
 * and why), and an amendment's record. Nothing here runs a test.
 */
import type { AcceptanceEntry, AcceptanceFile, Decision } from "./state";
import { criterionKey } from "./state";

export type Lookup = { ok: true; entry: AcceptanceEntry } | { ok: false; problem: string };

export function findEntry(state: AcceptanceFile, name: string): Lookup {
  const wanted = name.trim();
  const exact = state.criteria.filter((e) => {
    const key = criterionKey(e);
    return key === wanted || `${e.storyId}-${e.criterionId}` === wanted;
  });
  const matches = exact.length > 0 ? exact : state.criteria.filter((e) => e.criterionId === wanted);
  if (matches.length === 1) return { ok: true, entry: matches[0] as AcceptanceEntry };
  const known = state.criteria.map(criterionKey);
  const listed =
    known.length <= 10 ? known.join(", ") : `${known.slice(0, 10).join(", ")} and ${known.length - 10} more`;
  if (matches.length > 1) {
    return {
      ok: false,
      problem: `"${name}" names ${matches.length} criteria (${matches.map(criterionKey).join(", ")}); name one as <story>/<AC>`,
    };
  }
  return {
    ok: false,
    problem: `no acceptance criterion "${name}" (known: ${listed || "none yet: run nax run first"})`,
  };
}

export function withOverride(entry: AcceptanceEntry, decision: Decision): AcceptanceEntry {
  return { ...entry, override: decision };
}

export function replaceEntry(state: AcceptanceFile, entry: AcceptanceEntry): AcceptanceFile {
  const key = criterionKey(entry);
  return { ...state, criteria: state.criteria.map((e) => (criterionKey(e) === key ? entry : e)) };
}
