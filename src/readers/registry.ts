/**
 * `nax runs` over the global run registry (read by `registry-scan.ts`): the
 * project filter and labels, and each shown run's own outcome. Outcomes are
 * resolved only for the rows shown (after sorting and filtering by meta
 * fields); `--status` resolves newest first until enough rows match.
 */
import { dirname, sep } from "node:path";
import { z } from "zod";
import type { RunMeta } from "../state/run-meta";
import type { Sys } from "../system/sys";
import { mapLimit } from "./concurrency";
import { createPrdProjectLookup, matchProject, type PrdProjectLookup, type ProjectMatch } from "./project-match";
import { READ_CONCURRENCY, type RegistryEntry, readRegistry, sortNewestFirst } from "./registry-scan";
import { openIndexTail } from "./registry-tail";

export type { RegistryEntry } from "./registry-scan";

import { type OutcomeStatus, type RunOutcome, readRunOutcome } from "./run-outcome";

/**
 * Pure: a display name per workdir. Checkouts sharing a folder name get the
 * shortest tail of their parent path that tells them apart: `app (…/work/a)`.
 */
export function projectLabels(metas: readonly Pick<RunMeta, "project" | "workdir">[]): Map<string, string> {
  const byName = new Map<string, Set<string>>();
  for (const m of metas) {
    const set = byName.get(m.project) ?? new Set<string>();
    set.add(m.workdir);
    byName.set(m.project, set);
  }
  const labels = new Map<string, string>();
  for (const [name, workdirs] of byName) {
    const list = [...workdirs];
    if (list.length === 1) {
      labels.set(list[0] as string, name);
      continue;
    }
    const parents = list.map((w) => dirname(w).split(sep).filter(Boolean));
    const longest = Math.max(...parents.map((p) => p.length), 1);
    let depth = 1;
    while (depth < longest && new Set(parents.map((p) => p.slice(-depth).join("/"))).size < list.length) depth++;
    list.forEach((w, i) => {
      labels.set(w, `${name} (…/${(parents[i] ?? []).slice(-depth).join("/")})`);
    });
  }
  return labels;
}

export const OutcomeStatusSchema = z.enum(["running", "completed", "failed", "stalled", "crashed", "unavailable"]);

export const RunRowSchema = z.object({
  runId: z.string(),
  project: z.string(),
  /** The project's folder as shown: its name, or `name (…/parent)` when two checkouts share it. */
  label: z.string(),
  /** The PRD's `project` field (null when unknown). */
  prdProject: z.string().nullable(),
  /** With `--project`: whether it matched the PRD's project, the folder name, or the folder path. */
  matchedBy: z.enum(["prd", "folder", "path"]).optional(),
  feature: z.string(),
  workdir: z.string(),
  status: OutcomeStatusSchema,
  passed: z.number().int(),
  total: z.number().int(),
  costUsd: z.number(),
  durationMs: z.number(),
  startedAt: z.string().nullable(),
  registeredAt: z.string(),
  exitReason: z.string().optional(),
});
export type RunRow = z.infer<typeof RunRowSchema>;

export function toRunRow(
  entry: RegistryEntry,
  outcome: RunOutcome,
  label: string,
  prd: { project?: string; matchedBy?: ProjectMatch } = {},
): RunRow {
  const m = entry.meta;
  const row: RunRow = {
    runId: m.runId,
    project: m.project,
    label,
    prdProject: prd.project ?? null,
    feature: m.feature,
    workdir: m.workdir,
    status: outcome.status,
    passed: outcome.passed,
    total: outcome.total,
    costUsd: outcome.costUsd,
    durationMs: outcome.durationMs,
    startedAt: outcome.startedAt ?? null,
    registeredAt: m.registeredAt,
  };
  if (outcome.exitReason !== undefined) row.exitReason = outcome.exitReason;
  if (prd.matchedBy !== undefined) row.matchedBy = prd.matchedBy;
  return row;
}

export interface ListRunsOptions {
  cwd: string;
  last: number;
  project?: string;
  status?: OutcomeStatus;
}

export interface RunsListing {
  runsDir: string;
  rows: RunRow[];
  /** Registered runs that passed the project filter; undefined when only the newest were read. */
  considered: number | undefined;
  /** Every registered run, before the project filter; undefined when only the newest were read. */
  registered: number | undefined;
  /** With `--project` and nothing matching: the projects there are (PRD project or folder name). */
  knownProjects?: string[];
  skipped: number;
  indexError?: string;
}

type ListSys = Pick<Sys, "fs" | "naxHome" | "clock" | "hostname" | "isPidAlive">;

const resolveRows = (
  sys: ListSys,
  batch: RegistryEntry[],
  labelOf: (e: RegistryEntry) => string,
  prdProjectOf: PrdProjectLookup,
  matched?: ReadonlyMap<RegistryEntry, ProjectMatch>,
) =>
  mapLimit(batch, READ_CONCURRENCY, async (e) => {
    const prd = { project: await prdProjectOf(e.meta), matchedBy: matched?.get(e) };
    return toRunRow(e, await readRunOutcome(sys, e.meta), labelOf(e), prd);
  });

/**
 * Without a project filter, the newest runs come from the end of the index
 * alone (registry-tail.ts): the cost follows the rows shown, not the registry.
 * Labels then tell apart the checkouts among the runs read.
 */
async function listNewest(sys: ListSys, options: ListRunsOptions): Promise<RunsListing | undefined> {
  const tail = await openIndexTail(sys);
  if (!tail) return undefined;
  const prdProjectOf = createPrdProjectLookup(sys.fs);
  // Runs that register at the same moment may append out of order: read a margin more and sort.
  const batchSize = options.last + 16;
  const rows: RunRow[] = [];
  let read = 0;
  let exhausted = false;
  while (rows.length < options.last) {
    const batch = sortNewestFirst(await tail.next(batchSize));
    read += batch.length;
    if (batch.length < batchSize) exhausted = true;
    const labels = projectLabels(batch.map((e) => e.meta));
    const resolved = await resolveRows(sys, batch, (e) => labels.get(e.meta.workdir) ?? e.meta.project, prdProjectOf);
    rows.push(...resolved.filter((r) => options.status === undefined || r.status === options.status));
    if (exhausted) break;
  }
  return {
    runsDir: tail.runsDir,
    rows: rows.slice(0, options.last),
    considered: exhausted ? read : undefined,
    registered: exhausted ? read : undefined,
    skipped: 0,
  };
}

export async function listRuns(sys: ListSys, options: ListRunsOptions): Promise<RunsListing> {
  if (options.project === undefined) {
    const newest = await listNewest(sys, options);
    if (newest) return newest;
  }
  const registry = await readRegistry(sys);
  const labels = projectLabels(registry.entries.map((e) => e.meta));
  const labelOf = (e: RegistryEntry) => labels.get(e.meta.workdir) ?? e.meta.project;
  const filter = options.project;
  const prdProjectOf = createPrdProjectLookup(sys.fs);
  const matched = new Map<RegistryEntry, ProjectMatch>();
  let candidates = registry.entries;
  if (filter !== undefined) {
    const matches = await mapLimit(registry.entries, READ_CONCURRENCY, async (e) =>
      matchProject(e.meta, await prdProjectOf(e.meta), filter, options.cwd, labelOf(e)),
    );
    registry.entries.forEach((e, i) => {
      const how = matches[i];
      if (how !== undefined) matched.set(e, how);
    });
    candidates = registry.entries.filter((e) => matched.has(e));
  }
  const resolveBatch = (batch: RegistryEntry[]) => resolveRows(sys, batch, labelOf, prdProjectOf, matched);

  let rows: RunRow[];
  if (options.status === undefined) {
    rows = await resolveBatch(candidates.slice(0, options.last));
  } else {
    // The status is known only after resolving: walk newest first, a batch at a time, until enough rows match.
    rows = [];
    const batchSize = Math.max(options.last, 16);
    for (let start = 0; start < candidates.length && rows.length < options.last; start += batchSize) {
      const resolved = await resolveBatch(candidates.slice(start, start + batchSize));
      rows.push(...resolved.filter((r) => r.status === options.status));
    }
    rows = rows.slice(0, options.last);
  }
  const listing: RunsListing = {
    runsDir: registry.runsDir,
    rows,
    considered: candidates.length,
    registered: registry.entries.length,
    skipped: registry.skipped,
  };
  if (filter !== undefined && candidates.length === 0 && registry.entries.length > 0) {
    const names = await Promise.all(registry.entries.map(async (e) => (await prdProjectOf(e.meta)) ?? labelOf(e)));
    listing.knownProjects = [...new Set([...names, ...registry.entries.map(labelOf)])].sort();
  }
  if (registry.indexError !== undefined) listing.indexError = registry.indexError;
  return listing;
}
