/**
 * `nax diagnose` I/O: reads the feature's PRD, its latest run (status files,
 * event log, pid liveness) and the lock, then hands them to the pure
 * classifiers. Works on a feature that never ran and on a broken prd.json.
 */

import { errorMessage, isNaxError } from "../../errors";
import { loadPrd } from "../../prd/load";
import { readinessOf } from "../../prd/readiness";
import type { Prd } from "../../prd/schema";
import type { EventLine } from "../../state/event-line";
import { featurePaths } from "../../state/paths";
import type { Sys } from "../../system/sys";
import { readEventLog } from "../event-log";
import { latestFeatureRun, pickFeature } from "../features";
import { ledgerEvidence, readStoryLedger } from "../ledger";
import { readLockSummary } from "../project-status";
import { type RunOutcome, readRunOutcome, runLogPath } from "../run-outcome";
import { classifyStory, storiesToDiagnose } from "./patterns";
import { recommend } from "./recommendations";
import type { DiagnoseReport } from "./schema";
import { classifyRunState, runFindings } from "./state";

type ReaderSys = Pick<Sys, "fs" | "clock" | "hostname" | "isPidAlive">;

async function loadPrdOrReason(sys: ReaderSys, path: string): Promise<Prd | string> {
  try {
    return await loadPrd(sys.fs, path);
  } catch (error) {
    // Converted: a broken PRD is itself a finding; the run state is still worth reporting.
    if (!isNaxError(error)) throw error;
    return errorMessage(error);
  }
}

function pidAliveOf(sys: ReaderSys, outcome: RunOutcome | undefined): boolean | null {
  if (outcome?.pid === undefined) return null;
  if (outcome.hostname !== undefined && outcome.hostname !== sys.hostname) return null;
  return sys.isPidAlive(outcome.pid);
}

/** One pass over the log: filtering it per story was quadratic on long runs of big PRDs. */
function linesByStory(lines: readonly EventLine[]): Map<string, EventLine[]> {
  const byStory = new Map<string, EventLine[]>();
  for (const line of lines) {
    const id = line.storyId;
    if (id === undefined) continue;
    const own = byStory.get(id);
    if (own) own.push(line);
    else byStory.set(id, [line]);
  }
  return byStory;
}

export async function readDiagnosis(
  sys: ReaderSys,
  workdir: string,
  options: { feature?: string; verbose?: boolean } = {},
): Promise<DiagnoseReport> {
  const feature = await pickFeature(sys.fs, workdir, options.feature);
  const [prd, ref, lock] = await Promise.all([
    loadPrdOrReason(sys, featurePaths(workdir, feature).prd),
    latestFeatureRun(sys.fs, workdir, feature),
    readLockSummary(sys, workdir),
  ]);
  const outcome = ref ? await readRunOutcome(sys, ref) : undefined;
  const lines: EventLine[] = ref ? ((await readEventLog(sys.fs, runLogPath(ref)))?.lines ?? []) : [];
  const run = classifyRunState({ runId: ref?.runId, outcome, pidAlive: pidAliveOf(sys, outcome) });
  const findings = runFindings(feature, run, lock);
  if (typeof prd !== "string") {
    const readiness = readinessOf(prd);
    const byStory = linesByStory(lines);
    for (const story of storiesToDiagnose(prd, readiness)) {
      const own = byStory.get(story.id) ?? [];
      const finding = classifyStory(prd, story, own, { verbose: options.verbose ?? false }, readiness);
      // The story's evidence ledger over every run: its last gate, tripped guards and final seal.
      const ledger = ledgerEvidence(await readStoryLedger(sys.fs, workdir, feature, story.id));
      findings.push({ ...finding, evidence: [...finding.evidence, ...ledger] });
    }
  }
  const report: DiagnoseReport = {
    workdir,
    feature,
    run,
    lock,
    findings,
    recommendations: recommend(feature, run, findings),
  };
  if (typeof prd === "string") {
    report.prdError = prd;
    report.recommendations.unshift(`fix prd.json first: ${prd.split("\n")[0]}`);
  }
  return report;
}
