/**
 * Converts a nax reference (0.22.x) config.json to nax's format: moves the
 * keys nax keeps elsewhere, converts the shapes that changed, and drops the
 * keys nax has no use for, each with its reason (reference-keys.ts). Keys
 * that are neither nax's nor the reference's are left for the validator to
 * name: a typo is never dropped silently. Pure.
 */
import { type Change, isRecord, type Migrated } from "./changes";
import {
  isReferenceSection,
  REFERENCE_DROPPED_KEYS,
  REFERENCE_MOVED_KEYS,
  REFERENCE_PLUGIN_LIST_WHY,
  REFERENCE_SECTIONS,
} from "./reference-keys";

type Json = Record<string, unknown>;

function getPath(root: Json, path: string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return node;
}

function deletePath(root: Json, path: string[]): void {
  const parent = getPath(root, path.slice(0, -1));
  if (isRecord(parent)) delete parent[path.at(-1) as string];
}

function setPath(root: Json, path: string[], value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (!isRecord(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[path.at(-1) as string] = value;
}

function moveKeys(config: Json, changes: Change[]): void {
  for (const [from, to] of Object.entries(REFERENCE_MOVED_KEYS)) {
    const value = getPath(config, from.split("."));
    if (value === undefined) continue;
    deletePath(config, from.split("."));
    if (getPath(config, to.split(".")) !== undefined) {
      changes.push({ kind: "dropped", path: from, why: `${to} is already set, and nax keeps that value` });
      continue;
    }
    setPath(config, to.split("."), value);
    changes.push({ kind: "moved", from, to });
  }
}

function convertModels(config: Json, changes: Change[]): void {
  if (!isRecord(config.models)) return;
  for (const [tier, spec] of Object.entries(config.models)) {
    if (!isRecord(spec) || !("provider" in spec)) continue;
    const { provider: _provider, model, env } = spec;
    const extra = Object.keys(spec).filter((k) => !["provider", "model", "env"].includes(k));
    config.models[tier] = env === undefined ? model : { model, env };
    changes.push({
      kind: "dropped",
      path: `models.${tier}.provider`,
      why: REFERENCE_DROPPED_KEYS["models.*.provider"] as string,
    });
    for (const key of extra) {
      changes.push({
        kind: "dropped",
        path: `models.${tier}.${key}`,
        why: "nax's tier names a model (and optional env) only",
      });
    }
  }
}

function convertSmartTestRunner(config: Json, changes: Change[]): void {
  const top = config.smartTestRunner;
  if (typeof top === "boolean") {
    delete config.smartTestRunner;
    setPath(config, ["execution", "smartTestRunner", "enabled"], top);
    changes.push({ kind: "moved", from: "smartTestRunner", to: "execution.smartTestRunner.enabled" });
  }
  const inExecution = getPath(config, ["execution", "smartTestRunner"]);
  if (typeof inExecution === "boolean") {
    setPath(config, ["execution", "smartTestRunner"], { enabled: inExecution });
    changes.push({
      kind: "converted",
      path: "execution.smartTestRunner",
      detail: `${inExecution} -> { "enabled": ${inExecution} }`,
    });
  }
}

function dropKeys(config: Json, changes: Change[]): void {
  for (const [path, why] of Object.entries(REFERENCE_DROPPED_KEYS)) {
    if (path.includes("*")) continue;
    if (getPath(config, path.split(".")) === undefined) continue;
    deletePath(config, path.split("."));
    changes.push({ kind: "dropped", path, why });
  }
  for (const [section, why] of Object.entries(REFERENCE_SECTIONS)) {
    if (!(section in config) || !isReferenceSection(section, config[section])) continue;
    delete config[section];
    changes.push({ kind: "dropped", path: section, why });
  }
  if (Array.isArray(config.plugins)) {
    delete config.plugins;
    changes.push({ kind: "dropped", path: "plugins", why: REFERENCE_PLUGIN_LIST_WHY });
  }
}

export function migrateConfig(raw: Json): Migrated<Json> {
  const config = structuredClone(raw);
  const changes: Change[] = [];
  moveKeys(config, changes);
  convertModels(config, changes);
  convertSmartTestRunner(config, changes);
  dropKeys(config, changes);
  return { value: config, changes };
}
