/**
 * A story's evidence ledger, read back from the feature's event logs (every
 * run, oldest first): each gate run with its command, exit code, counts,
 * duration and commit; each agent session's purpose (its role), tier, model
 * and cost; the test-integrity guards' results; and the commits that sealed
 * the work, with the gate that proved each. `verdict` says whether the
 * story's final merged commit has a green gate, the rule a pass needs.
 */
import type { EnvelopeFor } from "../events/envelope";
import type { EventLine } from "../state/event-line";
import { featurePaths } from "../state/paths";
import type { Fs } from "../system/fs";
import { readEventLog } from "./event-log";

type Data<T extends "gate:ran" | "guards:checked" | "ledger:sealed"> = EnvelopeFor<T>["data"];

export interface LedgerSession {
  runId: string;
  at: string;
  role: string;
  tier: string;
  model: string;
  costUsd?: number;
  outcome?: string;
  durationMs?: number;
  /** The story's changes since its base after the session. */
  diff?: { files: number; insertions: number; deletions: number };
}

export interface StoryLedger {
  storyId: string;
  runs: string[];
  gates: Array<Data<"gate:ran"> & { runId: string; at: string }>;
  sessions: LedgerSession[];
  guards: Array<Data<"guards:checked"> & { runId: string; at: string }>;
  seals: Array<Data<"ledger:sealed"> & { runId: string; at: string }>;
  /** The last merged seal and whether a green gate proved it; undefined when the story was never merged. */
  verdict?: { commit: string; green: boolean; provenBy?: string };
}

export function emptyLedger(storyId: string): StoryLedger {
  return { storyId, runs: [], gates: [], sessions: [], guards: [], seals: [] };
}

/** Pure: folds one run's lines into the ledger. */
export function foldRun(ledger: StoryLedger, runId: string, lines: readonly EventLine[]): StoryLedger {
  let touched = false;
  for (const line of lines) {
    if (!("storyId" in line.data) || line.data.storyId !== ledger.storyId) continue;
    touched = true;
    const stamp = { runId, at: line.at };
    switch (line.type) {
      case "gate:ran":
        ledger.gates.push({ ...line.data, ...stamp });
        break;
      case "guards:checked":
        ledger.guards.push({ ...line.data, ...stamp });
        break;
      case "ledger:sealed":
        ledger.seals.push({ ...line.data, ...stamp });
        break;
      case "agent:session-started":
        ledger.sessions.push({ ...stamp, role: line.data.purpose, tier: line.data.tier, model: line.data.model });
        break;
      case "agent:session-completed": {
        // Sessions of one story never overlap: the completion belongs to the last one started.
        const open = [...ledger.sessions].reverse().find((s) => s.costUsd === undefined && s.runId === runId);
        if (open) {
          open.costUsd = line.data.costUsd;
          open.outcome = line.data.outcome;
          open.durationMs = line.data.durationMs;
          if (line.data.diff) open.diff = line.data.diff;
        }
        break;
      }
      default:
        break;
    }
  }
  if (touched) ledger.runs.push(runId);
  return ledger;
}

export function withVerdict(ledger: StoryLedger): StoryLedger {
  const merged = [...ledger.seals].reverse().find((s) => s.where === "merged");
  if (!merged) return ledger;
  return {
    ...ledger,
    verdict: {
      commit: merged.commit,
      green: merged.provenBy !== undefined,
      ...(merged.provenBy ? { provenBy: merged.provenBy } : {}),
    },
  };
}

/** The story's ledger from every run log of the feature, oldest run first (run ids sort by time). */
export async function readStoryLedger(fs: Fs, workdir: string, feature: string, storyId: string): Promise<StoryLedger> {
  const { runsDir } = featurePaths(workdir, feature);
  const names = (await fs.exists(runsDir)) ? await fs.readdir(runsDir) : [];
  const ledger = emptyLedger(storyId);
  for (const name of names.filter((n) => n.endsWith(".jsonl")).sort()) {
    const log = await readEventLog(fs, `${runsDir}/${name}`);
    if (log) foldRun(ledger, name.replace(/\.jsonl$/, ""), log.lines);
  }
  return withVerdict(ledger);
}

/** Short evidence lines for `nax diagnose`: the last gate, the guards that tripped, the final seal. */
export function ledgerEvidence(ledger: StoryLedger): string[] {
  const lines: string[] = [];
  const gate = ledger.gates.at(-1);
  if (gate) {
    const counts =
      gate.passedCount === undefined ? "" : `, ${gate.passedCount} passed, ${gate.failedCount ?? 0} failed`;
    lines.push(
      `ledger: last gate ${gate.gate} ${gate.passed ? "green" : "red"} (exit ${gate.exitCode ?? "none"}${counts}): ${gate.command}`,
    );
  }
  for (const check of ledger.guards.slice(-1)) {
    for (const result of check.results.filter((r) => !r.passed)) {
      const first = result.evidence[0];
      const where = first ? ` ${first.file}${first.line === undefined ? "" : `:${first.line}`}: ${first.what}` : "";
      lines.push(`ledger: guard ${result.guard} tripped (attempt ${check.attempt}):${where}`);
    }
  }
  if (ledger.verdict) {
    const { commit, green, provenBy } = ledger.verdict;
    lines.push(
      `ledger: merged ${commit.slice(0, 12)} ${green ? `proven by a green ${provenBy} gate` : "without a green gate"}`,
    );
  }
  return lines;
}
