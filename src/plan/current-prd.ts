/**
 * What `nax plan` may do with the prd.json already there, decided before any
 * agent session is paid for: none, or only `pending` stories, is replaced
 * (its criterion ids carried over); a story with progress (any other
 * status, or attempts spent) is replaced only with `--force`, and so is a
 * prd.json that does not load (nax cannot tell what it would destroy).
 * `--dry-run` writes nothing, so it is never refused here.
 */
import { errorMessage, NaxError } from "../errors";
import { loadPrd } from "../prd/load";
import type { Prd } from "../prd/schema";
import { templateFieldsOf } from "../prd/template";
import type { Fs } from "../system/fs";

export interface CurrentPrd {
  /**
   * The loaded PRD without the stories still holding template text: shown to the planner as the current
   * stories, and the source of the criterion ids a re-plan keeps. Undefined when absent, unreadable or all template.
   */
  previous?: Prd;
  /** The stories whose progress a write would discard (`US-001 passed`). */
  progress: string[];
}

export async function readCurrentPrd(
  fs: Fs,
  path: string,
  options: { force: boolean; dryRun: boolean },
): Promise<CurrentPrd> {
  if (!(await fs.exists(path))) return { progress: [] };
  let prd: Prd;
  try {
    prd = await loadPrd(fs, path);
  } catch (error) {
    if (options.force || options.dryRun) return { progress: [] };
    throw new NaxError(
      "PRD_INVALID",
      `${errorMessage(error)}\n${path}: nax plan will not replace a prd.json it cannot read (it cannot tell what progress it holds); fix it, or pass --force to replace it`,
      { path, cause: error },
    );
  }
  const progress = prd.userStories
    .filter((s) => s.status !== "pending" || s.attempts > 0)
    .map((s) => `${s.id} ${s.status}${s.attempts > 0 ? ` after ${s.attempts} attempt(s)` : ""}`);
  if (progress.length > 0 && !options.force && !options.dryRun) {
    throw new NaxError(
      "USAGE",
      `${path}: stories have progress (${progress.join(", ")}); nax plan replaces only a PRD whose stories are all pending. Pass --force to replace it (that progress is lost), or --dry-run to see the new plan`,
      { path },
    );
  }
  const edited = prd.userStories.filter((s) => templateFieldsOf(s).length === 0);
  return { ...(edited.length > 0 ? { previous: { ...prd, userStories: edited } } : {}), progress };
}
