/**
 * The TDD lines of a story's ledger, pure: the `tdd:*` events as the ledger
 * keeps them, their one-line descriptions for `nax status -f --story` and
 * the evidence `nax diagnose` adds (the last violation, objection, failed RED
 * or missing verdict). Whether the test files at GREEN are the ones that
 * were RED is computed here, from the hashes.
 */
import type { EnvelopeFor } from "../events/envelope";

type TddType =
  | "tdd:red-checked"
  | "tdd:tests-frozen"
  | "tdd:green"
  | "tdd:isolation-violation"
  | "tdd:objection"
  | "tdd:verdict";

export type TddEntry = {
  [T in TddType]: { type: T; data: EnvelopeFor<T>["data"]; runId: string; at: string };
}[TddType];

const short = (sha: string) => sha.slice(0, 12);

function sameHashes(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** One line per entry, in order; GREEN says whether its test files are byte for byte the RED ones. */
export function tddLines(entries: readonly TddEntry[]): string[] {
  let red: Record<string, string> | undefined;
  return entries.map((entry) => {
    switch (entry.type) {
      case "tdd:red-checked": {
        const d = entry.data;
        if (d.red) red = d.hashes;
        const files = d.files.map((f) => `${f.file} ${f.verdict}`).join(", ") || "no new test file";
        return `RED round ${d.round}: ${d.red ? "red" : "NOT red"} (${files})`;
      }
      case "tdd:tests-frozen":
        if (entry.data.carried) red ??= entry.data.hashes;
        return `tests frozen at ${short(entry.data.commit)}${entry.data.carried ? " (carried from an earlier attempt)" : ""}`;
      case "tdd:green": {
        const same = red
          ? sameHashes(red, entry.data.hashes)
            ? "test files as at RED"
            : "TEST FILES CHANGED since RED"
          : "";
        return `GREEN at ${short(entry.data.commit)}${same ? `: ${same}` : ""}`;
      }
      case "tdd:isolation-violation":
        return `isolation-violation by the ${entry.data.role}: ${entry.data.breaches.map((b) => `${b.path} (${b.kind})`).join(", ")}`;
      case "tdd:objection":
        return `objection to ${entry.data.test}: ${entry.data.reason}`;
      case "tdd:verdict": {
        const d = entry.data;
        const why = d.reasons.length > 0 ? ` (${d.reasons.join("; ")})` : "";
        return d.source === "verifier"
          ? `verifier: ${d.verdict}${why}`
          : `verdict-missing (${d.missing ?? "no verdict"}); nax's own run: ${d.verdict}`;
      }
      default: {
        const unreachable: never = entry;
        return String(unreachable);
      }
    }
  });
}

/** What `nax diagnose` adds: the last entry that explains a failure or a pause. */
export function tddEvidence(entries: readonly TddEntry[]): string[] {
  const telling = entries.filter(
    (e) =>
      e.type === "tdd:isolation-violation" ||
      e.type === "tdd:objection" ||
      (e.type === "tdd:red-checked" && !e.data.red) ||
      (e.type === "tdd:verdict" && (e.data.source === "nax" || e.data.verdict === "fail")),
  );
  const last = telling.at(-1);
  return last ? [`ledger: ${tddLines([last])[0]}`] : [];
}
