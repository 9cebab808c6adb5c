/**
 * A project's features as readers see them: which exist, which one a command
 * means when `-f` is not given, and which run is a feature's latest (the
 * newest of its log files, its snapshot and the live status).
 */
import { NaxError } from "../errors";
import { featurePaths, isFeatureName, projectPaths } from "../state/paths";
import { type StatusFile, StatusFileSchema } from "../state/status-file";
import type { Fs } from "../system/fs";
import { okValue, readJsonAs } from "./read-json";
import type { RunRef } from "./run-outcome";

export async function listFeatures(fs: Fs, workdir: string): Promise<string[]> {
  const dir = projectPaths(workdir).featuresDir;
  const names = (await fs.readdir(dir)).filter(isFeatureName);
  const dirs = await Promise.all(names.map(async (n) => ((await fs.stat(`${dir}/${n}`))?.isDirectory ? n : undefined)));
  return dirs.filter((n): n is string => n !== undefined).sort();
}

export async function readLiveStatus(fs: Fs, workdir: string): Promise<StatusFile | undefined> {
  return okValue(await readJsonAs(fs, projectPaths(workdir).status, StatusFileSchema));
}

/**
 * The feature a command means: `-f` if given (it must exist), else the
 * feature of the live/last run, else the only feature. Several features and
 * no hint is a usage error naming them.
 */
export async function pickFeature(fs: Fs, workdir: string, requested: string | undefined): Promise<string> {
  const features = await listFeatures(fs, workdir);
  if (requested !== undefined) {
    const dir = featurePaths(workdir, requested).dir;
    if (!features.includes(requested)) {
      throw new NaxError(
        "FEATURE_NOT_FOUND",
        `${dir}: no feature "${requested}"; see \`nax status\` for the features`,
        {
          feature: requested,
        },
      );
    }
    return requested;
  }
  const live = await readLiveStatus(fs, workdir);
  if (live && features.includes(live.run.feature)) return live.run.feature;
  return onlyFeature(features, workdir);
}

/** The feature when there is exactly one; otherwise an error saying how to choose. */
export function onlyFeature(features: string[], workdir: string): string {
  if (features.length === 1) return features[0] as string;
  if (features.length === 0) {
    throw new NaxError(
      "FEATURE_NOT_FOUND",
      `${projectPaths(workdir).featuresDir}: no features yet; create one with \`nax features create <name>\``,
    );
  }
  throw new NaxError("USAGE", `several features (${features.join(", ")}); choose one with -f <feature>`);
}

/** Run ids named by the feature's log files, oldest first (run ids sort by time). */
export async function listFeatureRunIds(fs: Fs, workdir: string, feature: string): Promise<string[]> {
  const names = await fs.readdir(featurePaths(workdir, feature).runsDir);
  return names
    .filter((n) => n.endsWith(".jsonl"))
    .map((n) => n.slice(0, -".jsonl".length))
    .sort();
}

/** The feature's latest run, or undefined when it never ran. */
export async function latestFeatureRun(fs: Fs, workdir: string, feature: string): Promise<RunRef | undefined> {
  const paths = featurePaths(workdir, feature);
  const [logIds, live, snapshot] = await Promise.all([
    listFeatureRunIds(fs, workdir, feature),
    readLiveStatus(fs, workdir),
    readJsonAs(fs, paths.status, StatusFileSchema).then(okValue),
  ]);
  const ids = [...logIds];
  if (live?.run.feature === feature) ids.push(live.run.id);
  if (snapshot) ids.push(snapshot.run.id);
  const runId = ids.sort().at(-1);
  return runId === undefined ? undefined : { runId, workdir, statusPath: paths.status, eventsDir: paths.runsDir };
}
