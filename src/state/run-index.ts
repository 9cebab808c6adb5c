/**
 * The registry index `<naxHome>/runs/index.jsonl`: one line per registered
 * run (its folder name plus a copy of its write-once meta.json), so `nax runs`
 * reads one file instead of ten thousand. It is a cache, never the only copy:
 * readers compare it with a listing of the run folders, read the meta.json of
 * any folder it lacks (and append it), and drop lines whose folder is gone.
 * Appending is best effort; a lost line is found again from the folders.
 */
import { basename, join } from "node:path";
import { z } from "zod";
import type { Fs } from "../system/fs";
import { globalPaths } from "./paths";
import { type RunMeta, RunMetaSchema } from "./run-meta";

export const RunIndexLineSchema = RunMetaSchema.extend({
  /** The run's folder name inside `runs/`. */
  dir: z.string().min(1),
});
export type RunIndexLine = z.infer<typeof RunIndexLineSchema>;

export function runIndexPath(naxHome: string): string {
  return join(globalPaths(naxHome).runsDir, "index.jsonl");
}

export function formatRunIndexLine(dir: string, meta: RunMeta): string {
  return `${JSON.stringify({ dir, ...meta })}\n`;
}

/** Appends one run (its folder path, as written by the registry, and its meta) to the index. */
export async function appendRunIndex(fs: Fs, naxHome: string, runDir: string, meta: RunMeta): Promise<void> {
  await fs.appendText(runIndexPath(naxHome), formatRunIndexLine(basename(runDir), meta));
}
