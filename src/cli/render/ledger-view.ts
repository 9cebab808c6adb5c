/**
 * `nax status -f <feature> --story <id>`: a story's evidence ledger as text.
 * Gates in order (what ran, its exit code and counts, how long, on which
 * edit or commit), sessions (role, tier, model, cost), the guards, the
 * commits that sealed the work, and the verdict on the final merged commit.
 */
import type { StoryLedger } from "../../readers/ledger";
import { formatCost, formatDuration } from "../../subscribers/format";
import type { Paint } from "./paint";

function gateLine(g: StoryLedger["gates"][number], paint: Paint): string {
  const verdict = g.passed ? paint.ok("green") : paint.error("red");
  const counts = g.passedCount === undefined ? "" : ` ${g.passedCount} passed, ${g.failedCount ?? 0} failed,`;
  const on = g.commit ? `commit ${g.commit.slice(0, 12)}` : `edit ${g.edit}`;
  const scope = g.scope ? ` (${g.scope})` : "";
  return `  #${g.attempt} ${g.gate}${scope} ${verdict} exit ${g.exitCode ?? "none"},${counts} ${formatDuration(g.durationMs)}, on ${on}: ${g.command}`;
}

export function renderLedger(ledger: StoryLedger, paint: Paint): string[] {
  const out = [paint.bold(`Evidence ledger of ${ledger.storyId}`) + ` (${ledger.runs.length} run(s))`];
  if (ledger.runs.length === 0) return [...out, "  nothing recorded yet: the story has not run"];
  out.push("Gates:");
  out.push(...(ledger.gates.length > 0 ? ledger.gates.map((g) => gateLine(g, paint)) : ["  none"]));
  out.push("Sessions:");
  for (const s of ledger.sessions) {
    const cost = s.costUsd === undefined ? "unfinished" : formatCost(s.costUsd);
    const took = s.durationMs === undefined ? "" : `, ${formatDuration(s.durationMs)}`;
    const diff = s.diff ? `, ${s.diff.files} file(s) +${s.diff.insertions} -${s.diff.deletions} since the base` : "";
    out.push(`  ${s.role} on ${s.tier} (${s.model}): ${cost}${took}${s.outcome ? `, ${s.outcome}` : ""}${diff}`);
  }
  if (ledger.sessions.length === 0) out.push("  none");
  out.push("Guards:");
  for (const check of ledger.guards) {
    const results = check.results.map((r) => `${r.guard} ${r.passed ? "ok" : paint.error("TRIPPED")}`).join(", ");
    out.push(`  #${check.attempt} against ${check.base.slice(0, 12)}: ${results}`);
    for (const r of check.results.filter((x) => !x.passed)) {
      for (const e of r.evidence) out.push(`    ${e.file}${e.line === undefined ? "" : `:${e.line}`}: ${e.what}`);
    }
  }
  if (ledger.guards.length === 0) out.push("  none");
  out.push("Commits:");
  for (const seal of ledger.seals) {
    const proof = seal.provenBy ? `proven by ${seal.provenBy}` : "no green gate on this tree";
    out.push(`  #${seal.attempt} ${seal.where} ${seal.commit.slice(0, 12)} (edit ${seal.edit}): ${proof}`);
  }
  if (ledger.seals.length === 0) out.push("  none");
  const v = ledger.verdict;
  out.push(
    v
      ? `Verdict: final commit ${v.commit.slice(0, 12)} ${v.green ? paint.ok(`has a green ${v.provenBy} gate`) : paint.error("has no green gate")}`
      : "Verdict: not merged",
  );
  return out;
}
