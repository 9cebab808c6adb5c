/**
 * The number of tests the project's own test command counted on a commit
 * nax merged: the full-suite gate that proved the commit's `ledger:sealed`
 * entry, read from the feature's event logs (newest run first). The
 * test-count guard compares an attempt's final full run with it, which
 * catches tests that stop being run without a test file changing (a runner
 * config that excludes them). Undefined when no full counted run proved it.
 */

import type { EventLine } from "../state/event-line";
import { featurePaths } from "../state/paths";
import type { Fs } from "../system/fs";
import { readEventLog } from "./event-log";

export interface BaselineCount {
  count: number;
  command: string;
}

/** Pure: the count that proved `commit` in one run's lines, if they hold it. */
export function baselineIn(lines: readonly EventLine[], commit: string): BaselineCount | undefined {
  const seal = lines.find((l) => l.type === "ledger:sealed" && l.data.where === "merged" && l.data.commit === commit);
  if (seal?.type !== "ledger:sealed" || !seal.data.provenBy) return undefined;
  const { storyId, attempt, provenBy, edit } = seal.data;
  const proof = [...lines]
    .reverse()
    .find(
      (l) =>
        l.type === "gate:ran" &&
        l.data.storyId === storyId &&
        l.data.attempt === attempt &&
        l.data.gate === provenBy &&
        l.data.passed &&
        (provenBy === "land" || l.data.edit === edit),
    );
  if (proof?.type !== "gate:ran" || proof.data.scope !== "full") return undefined;
  const count = (proof.data.passedCount ?? 0) + (proof.data.failedCount ?? 0);
  return count > 0 ? { count, command: proof.data.command } : undefined;
}

export async function readBaselineCount(
  fs: Fs,
  workdir: string,
  feature: string,
  commit: string,
): Promise<BaselineCount | undefined> {
  const { runsDir } = featurePaths(workdir, feature);
  const names = (await fs.exists(runsDir)) ? await fs.readdir(runsDir) : [];
  for (const name of names
    .filter((n) => n.endsWith(".jsonl"))
    .sort()
    .reverse()) {
    const log = await readEventLog(fs, `${runsDir}/${name}`);
    const found = log ? baselineIn(log.lines, commit) : undefined;
    if (found) return found;
  }
  return undefined;
}
