/**
 * The global run registry `<naxHome>/runs/<project>-<feature>-<runId>/meta.json`:
 * pointers to where a run keeps its status and events, written once when the
 * run starts (the Runner emits `run:started`; the reference never did, trap
 * 12) and never updated. Best effort: a failure warns and the run goes on.
 */
import { dirname, join } from "node:path";
import { errorMessage } from "../errors";
import type { Detach, EventBus } from "../events/bus";
import type { Logger } from "../logger/logger";
import { globalPaths } from "../state/paths";
import { appendRunIndex } from "../state/run-index";
import type { RunMeta } from "../state/run-meta";
import type { Fs } from "../system/fs";

export interface RunRegistryDeps {
  fs: Fs;
  naxHome: string;
  workdir: string;
  project: string;
  /** The PRD's `project` field: `nax runs --project` matches it too. */
  prdProject?: string;
  feature: string;
  /** The feature snapshot `nax/features/<f>/status.json`: it outlives the live status of later runs. */
  statusPath: string;
  /** The folder holding `<runId>.jsonl`. */
  eventsDir: string;
  logger: Logger;
}

/** A name safe as one path segment: the registry folder must stay inside `runs/`. */
function segment(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_") || "_";
}

export function registryMetaPath(naxHome: string, project: string, feature: string, runId: string): string {
  return join(globalPaths(naxHome).runDir(segment(project), segment(feature), segment(runId)), "meta.json");
}

export function attachRunRegistry(bus: EventBus, deps: RunRegistryDeps): Detach {
  let registered = false;
  return bus.on(
    "run:started",
    async (event) => {
      if (registered) return;
      registered = true;
      const meta: RunMeta = {
        runId: event.runId,
        project: deps.project,
        ...(deps.prdProject === undefined ? {} : { prdProject: deps.prdProject }),
        feature: deps.feature,
        workdir: deps.workdir,
        statusPath: deps.statusPath,
        eventsDir: deps.eventsDir,
        registeredAt: event.at,
      };
      const path = registryMetaPath(deps.naxHome, deps.project, deps.feature, event.runId);
      try {
        await deps.fs.writeAtomic(path, `${JSON.stringify(meta, null, 2)}\n`);
        // The index is a rebuildable cache that keeps `nax runs` fast; the meta file stays the source of truth.
        await appendRunIndex(deps.fs, deps.naxHome, dirname(path), meta);
      } catch (error) {
        deps.logger.warn(
          `run registry: could not register this run at ${path} (${errorMessage(error)}); \`nax runs\` will not list it`,
          { data: { path } },
        );
      }
    },
    { name: "run-registry" },
  );
}
