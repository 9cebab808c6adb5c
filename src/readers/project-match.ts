/**
 * `nax runs --project X`: a run matches by the PRD's `project` field, by its
 * folder name (or the label that tells same-named checkouts apart), or by
 * its folder path; the match says which, so the PROJECT column can too. The
 * PRD's project is recorded in meta.json since it was added there; for
 * older runs it is read from the run's prd.json, once per feature folder.
 */
import { isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import type { RunMeta } from "../state/run-meta";
import type { Fs } from "../system/fs";
import { okValue, readJsonAs } from "./read-json";

export type ProjectMatch = "prd" | "folder" | "path";

/** Pure: how a run matches `filter`, or undefined. */
export function matchProject(
  meta: RunMeta,
  prdProject: string | undefined,
  filter: string,
  cwd: string,
  label?: string,
): ProjectMatch | undefined {
  if (meta.project === filter || label === filter) return "folder";
  if (prdProject !== undefined && prdProject === filter) return "prd";
  const looksLikePath = filter.includes("/") || filter === "." || filter === ".." || isAbsolute(filter);
  return looksLikePath && resolve(cwd, filter) === resolve(meta.workdir) ? "path" : undefined;
}

const PrdProjectSchema = z.looseObject({ project: z.string() });

export type PrdProjectLookup = (meta: RunMeta) => Promise<string | undefined>;

/** The PRD `project` of each run: from meta.json, else its prd.json (cached per feature folder; undefined when unreadable). */
export function createPrdProjectLookup(fs: Fs): PrdProjectLookup {
  const cache = new Map<string, Promise<string | undefined>>();
  return (meta) => {
    if (meta.prdProject !== undefined) return Promise.resolve(meta.prdProject);
    const path = join(meta.workdir, "nax", "features", meta.feature, "prd.json");
    let found = cache.get(path);
    if (!found) {
      found = readJsonAs(fs, path, PrdProjectSchema).then((read) => okValue(read)?.project);
      cache.set(path, found);
    }
    return found;
  };
}
