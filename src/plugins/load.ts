/**
 * Finding and loading plugins, only from three places: the project's
 * `nax/plugins/`, `$NAX_HOME/plugins/` (each a `.ts`/`.js`/`.mjs` file or a
 * folder with an `index` file) and the packages `plugins.packages` names
 * (resolved from the project folder). Each default export is checked against
 * the plugin shape; one that fails to import or is the wrong shape is not
 * loaded and is listed with why (`nax plugins list`, a warning in the run),
 * never stopping the run. Then `plugins.settings` is checked: each section
 * must belong to a loaded plugin (an unknown one is an error with a
 * did-you-mean, as an unknown config key is) and pass that plugin's schema.
 */
import { join } from "node:path";
import type { NaxConfig } from "../config/schema";
import { errorMessage, NaxError } from "../errors";
import type { Fs } from "../system/fs";
import { didYouMean } from "../utils/did-you-mean";
import { formatZodIssues } from "../utils/zod-issues";
import { EXTENSION_POINTS, type ExtensionPoint, type NaxPlugin, PluginShapeSchema } from "./types";

export interface PluginImporter {
  import(path: string): Promise<unknown>;
  /** The file a package name resolves to from `fromDir`; throws when it is not installed. */
  resolve(name: string, fromDir: string): string;
}

/** Bun's own module loader: a plugin is code the user chose to install. */
export const bunImporter: PluginImporter = {
  import: (path) => import(path),
  resolve: (name, fromDir) => Bun.resolveSync(name, fromDir),
};

export interface LoadedPlugin {
  plugin: NaxPlugin;
  source: string;
  /** Its section of `plugins.settings`, checked by its schema (undefined without either). */
  settings: unknown;
  points: ExtensionPoint[];
}

export interface FailedPlugin {
  source: string;
  reason: string;
}

export interface LoadedPlugins {
  loaded: LoadedPlugin[];
  failed: FailedPlugin[];
}

export const NO_PLUGINS: LoadedPlugins = { loaded: [], failed: [] };

const MODULE_EXTENSIONS = [".ts", ".js", ".mjs"];

/** Plugin modules in one folder, sorted so the load order is the same on every machine. */
async function modulesIn(fs: Fs, dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await fs.readdir(dir)).sort()) {
    const path = join(dir, entry);
    if (entry.startsWith(".") || entry.endsWith(".d.ts") || entry.includes(".test.")) continue;
    if ((await fs.stat(path))?.isDirectory) {
      for (const ext of MODULE_EXTENSIONS) {
        if (await fs.exists(join(path, `index${ext}`))) {
          found.push(join(path, `index${ext}`));
          break;
        }
      }
    } else if (MODULE_EXTENSIONS.some((ext) => entry.endsWith(ext))) {
      found.push(path);
    }
  }
  return found;
}

async function loadOne(importer: PluginImporter, path: string): Promise<NaxPlugin | string> {
  let mod: unknown;
  try {
    mod = await importer.import(path);
  } catch (error) {
    return `could not be imported: ${errorMessage(error)}`;
  }
  const exported = (mod as { default?: unknown } | undefined)?.default;
  const parsed = PluginShapeSchema.safeParse(exported);
  if (!parsed.success) {
    return `its default export is not a nax plugin: ${formatZodIssues(parsed.error).join("; ")} (see examples/plugins/)`;
  }
  // The checked object itself, not zod's copy: methods keep their `this`.
  return exported as NaxPlugin;
}

function checkSettings(
  plugins: LoadedPlugin[],
  failed: FailedPlugin[],
  settings: Record<string, unknown>,
  file: string,
): void {
  const names = plugins.map((p) => p.plugin.name);
  for (const section of Object.keys(settings)) {
    if (names.includes(section)) continue;
    const notLoaded =
      failed.length > 0 ? `; not loaded: ${failed.map((f) => `${f.source} (${f.reason})`).join(", ")}` : "";
    throw new NaxError(
      "CONFIG_INVALID",
      `${file}: plugins.settings: unknown plugin section "${section}"${didYouMean(section, names)}; loaded plugins: ${names.join(", ") || "none"}${notLoaded}. Remove the section or install the plugin in nax/plugins/`,
      { path: file, field: `plugins.settings.${section}` },
    );
  }
  for (const entry of plugins) {
    const schema = entry.plugin.configSchema;
    const section = settings[entry.plugin.name];
    if (!schema) {
      entry.settings = section;
      continue;
    }
    const parsed = schema.safeParse(section ?? {});
    if (!parsed.success) {
      const issues = (parsed.error as { issues?: { path: PropertyKey[]; message: string }[] })?.issues ?? [];
      const lines = issues.map(
        (i) => `plugins.settings.${[entry.plugin.name, ...i.path.map(String)].join(".")}: ${i.message}`,
      );
      throw new NaxError(
        "CONFIG_INVALID",
        `${file}: the ${entry.plugin.name} plugin (${entry.source}) refuses its settings:\n${lines.join("\n") || String(parsed.error)}`,
        { path: file, field: `plugins.settings.${entry.plugin.name}` },
      );
    }
    entry.settings = parsed.data;
  }
}

export async function loadPlugins(
  fs: Fs,
  importer: PluginImporter,
  input: { workdir: string; naxHome: string; config: NaxConfig; configFile: string },
): Promise<LoadedPlugins> {
  const sources: string[] = [
    ...(await modulesIn(fs, join(input.workdir, "nax", "plugins"))),
    ...(await modulesIn(fs, join(input.naxHome, "plugins"))),
  ];
  const failed: FailedPlugin[] = [];
  for (const name of input.config.plugins.packages) {
    try {
      sources.push(importer.resolve(name, input.workdir));
    } catch (error) {
      failed.push({ source: name, reason: `the package is not installed in ${input.workdir}: ${errorMessage(error)}` });
    }
  }
  const loaded: LoadedPlugin[] = [];
  for (const source of sources) {
    const plugin = await loadOne(importer, source);
    if (typeof plugin === "string") {
      failed.push({ source, reason: plugin });
      continue;
    }
    const twin = loaded.find((p) => p.plugin.name === plugin.name);
    if (twin) {
      failed.push({ source, reason: `a plugin named "${plugin.name}" is already loaded from ${twin.source}` });
      continue;
    }
    const points = EXTENSION_POINTS.filter((point) => plugin[point] !== undefined);
    loaded.push({ plugin, source, settings: undefined, points });
  }
  checkSettings(loaded, failed, input.config.plugins.settings, input.configFile);
  return { loaded, failed };
}
