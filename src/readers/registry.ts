/**
 * The global run registry `<naxHome>/runs/<project>-<feature>-<runId>/meta.json`
 * read back for `nax runs` and `nax logs --run`: every meta file through the
 * writer's `RunMetaSchema`, newest first by `registeredAt`. A bad entry is
 * skipped and counted, never fatal. Outcomes are resolved only for the rows
 * shown, so ten thousand registered runs cost one pass over small files.
 */
import { basename, dirname, isAbsolute, join, resolve, sep } from "node:path";
import { z } from "zod";
import { globalPaths } from "../state/paths";
import { type RunMeta, RunMetaSchema } from "../state/run-meta";
import type { Sys } from "../system/sys";
import { mapLimit } from "./concurrency";
import { readJsonAs } from "./read-json";
import { type OutcomeStatus, type RunOutcome, readRunOutcome } from "./run-outcome";

/** Reads in flight at once: enough to hide latency, far below any descriptor limit. */
const READ_CONCURRENCY = 64;

export interface RegistryEntry {
  dir: string;
  meta: RunMeta;
}

export interface RegistryListing {
  runsDir: string;
  /** Newest first. */
  entries: RegistryEntry[];
  /** Folders whose meta.json is missing, unreadable or invalid. */
  skipped: number;
}

/** Registry folders end with their run id; anything else in `runs/` (temp files, notes) is not an entry. */
function isEntryName(name: string): boolean {
  return !name.startsWith(".") && name.includes("run-") && !name.endsWith(".tmp");
}

export function compareNewestFirst(a: RunMeta, b: RunMeta): number {
  const ta = Date.parse(a.registeredAt);
  const tb = Date.parse(b.registeredAt);
  const byTime = (Number.isFinite(tb) ? tb : 0) - (Number.isFinite(ta) ? ta : 0);
  return byTime !== 0 ? byTime : b.runId.localeCompare(a.runId);
}

export async function readRegistry(sys: Pick<Sys, "fs" | "naxHome">): Promise<RegistryListing> {
  const runsDir = globalPaths(sys.naxHome).runsDir;
  const names = (await sys.fs.readdir(runsDir)).filter(isEntryName);
  const reads = await mapLimit(names, READ_CONCURRENCY, (name) =>
    readJsonAs(sys.fs, join(runsDir, name, "meta.json"), RunMetaSchema),
  );
  const entries: RegistryEntry[] = [];
  let skipped = 0;
  reads.forEach((read, index) => {
    if (read.kind === "ok") entries.push({ dir: join(runsDir, names[index] as string), meta: read.value });
    else skipped++;
  });
  entries.sort((a, b) => compareNewestFirst(a.meta, b.meta));
  return { runsDir, entries, skipped };
}

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

/** `--project` matches a project name, its label, or (when it looks like a path) the project's folder. */
export function matchesProject(meta: RunMeta, filter: string, cwd: string, label?: string): boolean {
  if (meta.project === filter || label === filter) return true;
  const looksLikePath = filter.includes("/") || filter === "." || filter === ".." || isAbsolute(filter);
  return looksLikePath && resolve(cwd, filter) === resolve(meta.workdir);
}

export const OutcomeStatusSchema = z.enum(["running", "completed", "failed", "stalled", "crashed", "unavailable"]);

export const RunRowSchema = z.object({
  runId: z.string(),
  project: z.string(),
  /** The project as shown: its name, or `name (…/parent)` when two checkouts share it. */
  label: z.string(),
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

export function toRunRow(entry: RegistryEntry, outcome: RunOutcome, label: string): RunRow {
  const m = entry.meta;
  const row: RunRow = {
    runId: m.runId,
    project: m.project,
    label,
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
  /** Registered runs that passed the project filter. */
  considered: number;
  skipped: number;
}

export async function listRuns(
  sys: Pick<Sys, "fs" | "naxHome" | "clock" | "hostname" | "isPidAlive">,
  options: ListRunsOptions,
): Promise<RunsListing> {
  const registry = await readRegistry(sys);
  const labels = projectLabels(registry.entries.map((e) => e.meta));
  const labelOf = (e: RegistryEntry) => labels.get(e.meta.workdir) ?? e.meta.project;
  const filter = options.project;
  const candidates =
    filter === undefined
      ? registry.entries
      : registry.entries.filter((e) => matchesProject(e.meta, filter, options.cwd, labelOf(e)));
  const resolveRows = (batch: RegistryEntry[]) =>
    mapLimit(batch, READ_CONCURRENCY, async (e) => toRunRow(e, await readRunOutcome(sys, e.meta), labelOf(e)));

  let rows: RunRow[];
  if (options.status === undefined) {
    rows = await resolveRows(candidates.slice(0, options.last));
  } else {
    // The status is known only after resolving: walk newest first, a batch at a time, until enough rows match.
    rows = [];
    const batchSize = Math.max(options.last, 16);
    for (let start = 0; start < candidates.length && rows.length < options.last; start += batchSize) {
      const resolved = await resolveRows(candidates.slice(start, start + batchSize));
      rows.push(...resolved.filter((r) => r.status === options.status));
    }
    rows = rows.slice(0, options.last);
  }
  return { runsDir: registry.runsDir, rows, considered: candidates.length, skipped: registry.skipped };
}

/** `basename` of a registry folder, for messages. */
export function entryName(entry: RegistryEntry): string {
  return basename(entry.dir);
}
