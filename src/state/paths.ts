/**
 * Every path nax reads or writes, in one place, shared by writers and readers.
 * Feature names are validated here before they can touch a path.
 */
import { basename, join } from "node:path";
import { NaxError } from "../errors";

export const FEATURE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A feature name is a folder name and part of every run file's path: well under any file system's 255-byte limit. */
export const MAX_FEATURE_NAME_LENGTH = 100;

/** A name nax would accept for a feature: readers skip folders that are not one, instead of failing on them. */
export function isFeatureName(name: string): boolean {
  return name.length <= MAX_FEATURE_NAME_LENGTH && FEATURE_NAME_PATTERN.test(name) && !name.includes("..");
}

export function assertFeatureName(feature: string): string {
  if (feature.length > MAX_FEATURE_NAME_LENGTH) {
    throw new NaxError(
      "USAGE",
      `feature name is ${feature.length} characters long: the limit is ${MAX_FEATURE_NAME_LENGTH} (it becomes a folder name); choose a shorter one`,
      { feature },
    );
  }
  if (!FEATURE_NAME_PATTERN.test(feature) || feature.includes("..")) {
    throw new NaxError(
      "USAGE",
      `feature name "${feature}" is not allowed: use letters, digits, '.', '_' and '-' (it becomes a folder name)`,
      { feature },
    );
  }
  return feature;
}

export interface ProjectPaths {
  workdir: string;
  naxDir: string;
  config: string;
  hooks: string;
  gitignore: string;
  featuresDir: string;
  /** Generated JSON Schemas the `$schema` pointers in config.json and prd.json name (state/json-schema.ts). */
  configSchema: string;
  prdSchema: string;
  status: string;
  lock: string;
}

export function projectPaths(workdir: string): ProjectPaths {
  const naxDir = join(workdir, "nax");
  return {
    workdir,
    naxDir,
    config: join(naxDir, "config.json"),
    hooks: join(naxDir, "hooks.json"),
    gitignore: join(naxDir, ".gitignore"),
    featuresDir: join(naxDir, "features"),
    configSchema: join(naxDir, "schemas", "config.schema.json"),
    prdSchema: join(naxDir, "schemas", "prd.schema.json"),
    status: join(naxDir, "status.json"),
    lock: join(workdir, "nax.lock"),
  };
}

export interface FeaturePaths {
  feature: string;
  dir: string;
  prd: string;
  spec: string;
  /** Each acceptance criterion's test, hash and state (src/acceptance/state.ts). */
  acceptance: string;
  status: string;
  runsDir: string;
  progress: string;
  runLog(runId: string): string;
}

export function featurePaths(workdir: string, feature: string): FeaturePaths {
  const dir = join(projectPaths(workdir).featuresDir, assertFeatureName(feature));
  const runsDir = join(dir, "runs");
  return {
    feature,
    dir,
    prd: join(dir, "prd.json"),
    spec: join(dir, "spec.md"),
    acceptance: join(dir, "acceptance.json"),
    status: join(dir, "status.json"),
    runsDir,
    progress: join(dir, "progress.txt"),
    runLog: (runId) => join(runsDir, `${runId}.jsonl`),
  };
}

export interface GlobalPaths {
  home: string;
  config: string;
  hooks: string;
  runsDir: string;
  runDir(project: string, feature: string, runId: string): string;
}

/** Folder-safe project name; collisions between same-named checkouts are told apart by `workdir` in meta.json. */
export function projectNameFor(workdir: string): string {
  return basename(workdir).replace(/[^A-Za-z0-9._-]/g, "_") || "project";
}

export function globalPaths(naxHome: string): GlobalPaths {
  const runsDir = join(naxHome, "runs");
  return {
    home: naxHome,
    config: join(naxHome, "config.json"),
    hooks: join(naxHome, "hooks.json"),
    runsDir,
    runDir: (project, feature, runId) => join(runsDir, `${project}-${feature}-${runId}`),
  };
}

/** Runtime files that must never be committed; `init` ignores them and completion excludes them. */
export const RUNTIME_GITIGNORE = [
  "status.json",
  "features/*/status.json",
  "features/*/runs/",
  "features/*/progress.txt",
  "features/*/acceptance.json",
  "*.tmp",
];
export const RUNTIME_ROOT_FILES = ["nax.lock"];
