/**
 * Step 1 of a run (README "What a run does"), read-only: find the project, load and validate
 * the config (with only the CLI flags the user passed) and the PRD, load the
 * hooks, pick the feature, and make the run id. Any error here stops the run
 * before anything is written.
 */
import { relative, resolve } from "node:path";
import { loadConfig } from "../config/load";
import type { NaxConfig } from "../config/schema";
import { testPolicy } from "../config/test-policy";
import { NaxError } from "../errors";
import { bunImporter, type LoadedPlugins, loadPlugins, type PluginImporter } from "../plugins/load";
import { findKeyTypos } from "../prd/key-typos";
import { loadPrd } from "../prd/load";
import { assertRunnable } from "../prd/runnable";
import type { Prd } from "../prd/schema";
import { listFeatures, onlyFeature } from "../readers/features";
import {
  assertFeatureName,
  type FeaturePaths,
  featurePaths,
  type GlobalPaths,
  globalPaths,
  type ProjectPaths,
  projectNameFor,
  projectPaths,
} from "../state/paths";
import { createRunId } from "../state/run-id";
import { requireWorkdir } from "../state/workdir";
import { loadHooks, type ResolvedHook } from "../subscribers/hooks";
import type { Sys } from "../system/sys";

export interface RunRequest {
  /** `--dir`, or the current folder: the project is found from here upwards. */
  dir: string;
  feature?: string;
  dryRun: boolean;
  /** Replace a lock held on another host. */
  force: boolean;
  /** Let uncommitted changes outside nax/ go into the first story's commit. */
  allowDirty?: boolean;
  /** `--skip-precheck`: the quality commands are not run on the base commit before the first story. */
  skipPrecheck?: boolean;
  /** Config values from flags the user actually passed; never defaults (trap 14). */
  cliOverrides: Record<string, unknown>;
}

export interface RunSetup {
  workdir: string;
  project: string;
  feature: string;
  config: NaxConfig;
  prd: Prd;
  hooks: ResolvedHook[];
  /** Plugins loaded from nax/plugins/, $NAX_HOME/plugins/ and plugins.packages; those that failed, with why. */
  plugins: LoadedPlugins;
  runId: string;
  /** The run id's own time, so the status, the log name and the registry agree (trap 17). */
  startedAt: string;
  /** `--force`: replace a lock held on another host. */
  force: boolean;
  /** `--allow-dirty`: uncommitted changes outside nax/ are accepted (and committed with the first story). */
  allowDirty: boolean;
  /** `--skip-precheck`. */
  skipPrecheck: boolean;
  paths: { project: ProjectPaths; feature: FeaturePaths; global: GlobalPaths };
  /** Shown before any session starts (and by `--dry-run`): likely typos among prd.json's unknown keys. */
  warnings: string[];
}

/**
 * git refuses to add a path through a symbolic link (`pathspec ... is beyond a
 * symbolic link`), so a linked nax/ would fail every story at its commit,
 * after the agent was paid for. Refused here, before anything runs.
 */
async function refuseSymlinkedState(sys: Sys, workdir: string, paths: FeaturePaths): Promise<void> {
  const project = projectPaths(workdir);
  for (const dir of [project.naxDir, project.featuresDir, paths.dir]) {
    if (!(await sys.fs.isSymlink(dir))) continue;
    throw new NaxError(
      "UNSUPPORTED_LAYOUT",
      `${dir} is a symbolic link: nax commits the PRD and its state under nax/ with git, and git refuses paths through a symbolic link, so every story would fail at its commit. Make ${relative(workdir, dir)} a real folder inside the repository (move the linked content into it), then run again.`,
      { path: dir },
    );
  }
}

async function resolveFeature(sys: Sys, workdir: string, requested: string | undefined): Promise<string> {
  if (requested !== undefined) return assertFeatureName(requested);
  const features = await listFeatures(sys.fs, workdir);
  return onlyFeature(features, workdir);
}

export async function loadRunSetup(
  sys: Sys,
  request: RunRequest,
  importer: PluginImporter = bunImporter,
): Promise<RunSetup> {
  const workdir = await requireWorkdir(sys.fs, resolve(request.dir));
  const project = projectPaths(workdir);
  const global = globalPaths(sys.naxHome);
  const { config } = await loadConfig(
    sys.fs,
    { globalConfig: global.config, projectConfig: project.config },
    request.cliOverrides,
  );
  const policy = testPolicy(config, project.config);
  // A dry run only warns (it verifies nothing anyway); a real run with nothing to verify against never starts.
  if (policy.kind === "missing" && !request.dryRun) {
    throw new NaxError("CONFIG_INVALID", policy.message, { path: project.config, field: "quality.commands.test" });
  }
  const feature = await resolveFeature(sys, workdir, request.feature);
  const paths = featurePaths(workdir, feature);
  await refuseSymlinkedState(sys, workdir, paths);
  const prd = await loadPrd(sys.fs, paths.prd);
  assertRunnable(prd, paths.prd, Object.keys(config.models));
  const hooks = await loadHooks(sys.fs, { global: global.hooks, project: project.hooks });
  const plugins = await loadPlugins(sys.fs, importer, {
    workdir,
    naxHome: sys.naxHome,
    config,
    configFile: project.config,
  });
  const pluginWarnings = plugins.failed.map((f) => `plugin ${f.source} was not loaded: ${f.reason}`);
  const now = sys.clock.now();
  return {
    workdir,
    project: projectNameFor(workdir),
    feature,
    config,
    prd,
    hooks,
    plugins,
    runId: createRunId(now),
    startedAt: new Date(now).toISOString(),
    force: request.force,
    allowDirty: request.allowDirty === true,
    skipPrecheck: request.skipPrecheck === true,
    paths: { project, feature: paths, global },
    warnings: [...findKeyTypos(prd, paths.prd), ...pluginWarnings],
  };
}
