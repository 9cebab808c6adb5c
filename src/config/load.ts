/**
 * Config layers: defaults < `<naxHome>/config.json` < `nax/config.json` <
 * explicit CLI flags. Each file is checked on its own first, so an error
 * names the file that holds it; then the raw layers are merged and parsed once.
 */
import { NaxError } from "../errors";
import { findReferenceKeys } from "../migrate/reference-keys";
import type { Fs } from "../system/fs";
import { formatZodIssues } from "../utils/zod-issues";
import { ConfigSchema, type NaxConfig } from "./schema";
import { findTierProblems, type SourceOf } from "./tiers";

export interface ConfigLayer {
  source: string;
  values: Record<string, unknown>;
}

export interface LoadedConfig {
  config: NaxConfig;
  layers: ConfigLayer[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars from a later layer replace earlier ones. */
export function mergeLayers(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? mergeLayers(prev, value) : value;
  }
  return out;
}

async function readLayer(fs: Fs, path: string): Promise<ConfigLayer | undefined> {
  const text = await fs.readText(path);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NaxError("CONFIG_INVALID", `${path}: not valid JSON (${(error as Error).message}); fix the syntax`, {
      path,
      cause: error,
    });
  }
  if (!isPlainObject(json)) {
    throw new NaxError("CONFIG_INVALID", `${path}: (root): expected a JSON object`, { path });
  }
  checkLayer(json, path);
  return { source: path, values: json };
}

function checkLayer(values: Record<string, unknown>, source: string): void {
  const parsed = ConfigSchema.safeParse(values);
  if (!parsed.success) {
    const lines = formatZodIssues(parsed.error, ConfigSchema).map((line) => `${source}: ${line}`);
    for (const path of findReferenceKeys(values)) {
      lines.push(`${source}: ${path}: this is a nax 0.22 key; run \`nax migrate\` to convert this file`);
    }
    throw new NaxError("CONFIG_INVALID", lines.join("\n"), { path: source, problems: lines });
  }
}

export async function loadConfig(
  fs: Fs,
  paths: { globalConfig: string; projectConfig: string },
  cliOverrides: Record<string, unknown> = {},
): Promise<LoadedConfig> {
  const layers: ConfigLayer[] = [];
  const global = await readLayer(fs, paths.globalConfig);
  if (global) layers.push(global);
  const project = await readLayer(fs, paths.projectConfig);
  if (project) layers.push(project);
  if (Object.keys(cliOverrides).length > 0) {
    checkLayer(cliOverrides, "command-line flags");
    layers.push({ source: "command-line flags", values: cliOverrides });
  }
  const merged = layers.reduce<Record<string, unknown>>((acc, layer) => mergeLayers(acc, layer.values), {});
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const sources = layers.map((l) => l.source).join(" + ") || "defaults";
    const lines = formatZodIssues(parsed.error, ConfigSchema).map((line) => `${sources}: ${line}`);
    throw new NaxError("CONFIG_INVALID", lines.join("\n"), { problems: lines });
  }
  const tierProblems = findTierProblems(parsed.data, sourceFinder(layers));
  if (tierProblems.length > 0) {
    throw new NaxError("CONFIG_INVALID", tierProblems.join("\n"), { problems: tierProblems });
  }
  return { config: parsed.data, layers };
}

/** The last layer that sets a path wins the merge, so it is the file to fix. */
function sourceFinder(layers: readonly ConfigLayer[]): SourceOf {
  return (path) => {
    for (let i = layers.length - 1; i >= 0; i--) {
      let value: unknown = layers[i]?.values;
      for (const key of path) {
        value =
          typeof value === "object" && value !== null ? (value as Record<string | number, unknown>)[key] : undefined;
      }
      if (value !== undefined) return (layers[i] as ConfigLayer).source;
    }
    return "defaults";
  };
}
