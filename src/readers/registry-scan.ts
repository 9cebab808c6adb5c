/**
 * Reading the whole run registry: the folder listing is the truth about
 * which runs exist; the index (`runs/index.jsonl`) supplies their meta
 * without opening ten thousand files. A folder the index lacks has its
 * meta.json read through `RunMetaSchema` and is appended to the index; index
 * lines whose folder is gone are ignored, and the index is rewritten when
 * they pile up. A bad meta.json is skipped and counted, never fatal.
 */
import { basename, join } from "node:path";
import { errorMessage } from "../errors";
import { globalPaths } from "../state/paths";
import { formatRunIndexLine, RunIndexLineSchema, runIndexPath } from "../state/run-index";
import { type RunMeta, RunMetaSchema } from "../state/run-meta";
import type { Fs } from "../system/fs";
import type { Sys } from "../system/sys";
import { mapLimit } from "./concurrency";
import { parseJsonAs, readJsonAs } from "./read-json";

/** Reads in flight at once: measured fastest around here, and well below the usual 1024-descriptor limit. */
export const READ_CONCURRENCY = 256;
/** Rewrite the index when this many of its lines no longer match a folder (deleted runs, duplicates). */
const COMPACT_AFTER_DEAD_LINES = 500;

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
  /** Set when the index could not be brought up to date (the listing is still complete). */
  indexError?: string;
}

/** Registry folders end with their run id; anything else in `runs/` (the index, temp files) is not an entry. */
function isEntryName(name: string): boolean {
  return !name.startsWith(".") && name.includes("run-") && !name.endsWith(".tmp") && !name.endsWith(".jsonl");
}

function registeredMs(meta: RunMeta): number {
  const ms = Date.parse(meta.registeredAt);
  return Number.isFinite(ms) ? ms : 0;
}

/** Newest first by `registeredAt`, then run id. Keys are computed once: dates parsed in the comparator cost 50 ms on 10,000 runs. */
export function sortNewestFirst<T extends { meta: RunMeta }>(items: readonly T[]): T[] {
  const keyed = items.map((item) => ({ item, ms: registeredMs(item.meta), id: item.meta.runId }));
  keyed.sort((a, b) => b.ms - a.ms || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return keyed.map((k) => k.item);
}

/** Pure: the index's lines by folder name (the last line for a folder wins), and how many lines are unusable. */
export function parseRunIndex(text: string): { byDir: Map<string, RunMeta>; lines: number } {
  const byDir = new Map<string, RunMeta>();
  let lines = 0;
  for (const raw of text.split("\n")) {
    if (raw === "") continue;
    lines++;
    const read = parseJsonAs(raw, RunIndexLineSchema);
    if (read.kind !== "ok") continue;
    const { dir, ...meta } = read.value;
    byDir.set(dir, meta);
  }
  return { byDir, lines };
}

/**
 * Keeps the index complete and in registration order (oldest first), which
 * the tail reader relies on: runs found only in their folders are appended
 * when they are all newer than what is indexed, otherwise the index is
 * rewritten in order, as it is when dead lines pile up.
 */
async function updateIndex(fs: Fs, naxHome: string, added: RegistryEntry[], all: RegistryEntry[], dead: number) {
  const path = runIndexPath(naxHome);
  const lines = (entries: RegistryEntry[]) =>
    sortNewestFirst(entries)
      .reverse()
      .map((e) => formatRunIndexLine(basename(e.dir), e.meta))
      .join("");
  const fresh = new Set(added);
  let newestIndexed = 0;
  for (const e of all) if (!fresh.has(e)) newestIndexed = Math.max(newestIndexed, registeredMs(e.meta));
  const inOrder = added.every((e) => registeredMs(e.meta) >= newestIndexed);
  // Rewriting may race a writer's append; the run it loses is found again from its folder next time.
  if (dead >= COMPACT_AFTER_DEAD_LINES || !inOrder) await fs.writeAtomic(path, lines(all));
  else if (added.length > 0) await fs.appendText(path, lines(added));
  // The index now lists every folder. An append (by the kernel's clock, as the folder's time is) makes it newer than
  // the folder, so the next read may skip the listing (registry-tail.ts); readers skip the blank line.
  if (await isIndexStale(fs, naxHome)) await fs.appendText(path, "\n");
}

/** The index may be missing runs (or list removed ones) unless it was written after the folder last changed. */
export async function isIndexStale(fs: Pick<Fs, "stat">, naxHome: string): Promise<boolean> {
  const [folder, index] = await Promise.all([fs.stat(globalPaths(naxHome).runsDir), fs.stat(runIndexPath(naxHome))]);
  // Equal times are stale: file times have the kernel clock's coarse granularity, so order within a tick is unknown.
  return !folder || !index || index.mtimeMs <= folder.mtimeMs;
}

export async function readRegistry(sys: Pick<Sys, "fs" | "naxHome">): Promise<RegistryListing> {
  const runsDir = globalPaths(sys.naxHome).runsDir;
  const [listing, indexText] = await Promise.all([sys.fs.readdir(runsDir), sys.fs.readText(runIndexPath(sys.naxHome))]);
  const names = listing.filter(isEntryName);
  const index = parseRunIndex(indexText ?? "");
  const entries: RegistryEntry[] = [];
  const unindexed: string[] = [];
  for (const name of names) {
    const meta = index.byDir.get(name);
    if (meta) entries.push({ dir: join(runsDir, name), meta });
    else unindexed.push(name);
  }
  const reads = await mapLimit(unindexed, READ_CONCURRENCY, (name) =>
    readJsonAs(sys.fs, join(runsDir, name, "meta.json"), RunMetaSchema),
  );
  const added: RegistryEntry[] = [];
  let skipped = 0;
  reads.forEach((read, i) => {
    if (read.kind === "ok") added.push({ dir: join(runsDir, unindexed[i] as string), meta: read.value });
    else skipped++;
  });
  entries.push(...added);
  const result: RegistryListing = { runsDir, entries: sortNewestFirst(entries), skipped };
  try {
    await updateIndex(sys.fs, sys.naxHome, added, entries, index.lines - (entries.length - added.length));
  } catch (error) {
    // Converted: the index is only a cache; the listing above is complete without it.
    result.indexError = `${runIndexPath(sys.naxHome)}: could not update the run index (${errorMessage(error)})`;
  }
  return result;
}
