/**
 * `nax plugins list [--json]`: the plugins a run would load, from where, with
 * which extension points, and those it would not load, with why. It loads
 * them exactly as `nax run` does (so their module code runs) and checks
 * their settings; nothing is written.
 */
import { resolve } from "node:path";
import { loadConfig } from "../../config/load";
import { bunImporter, loadPlugins, type PluginImporter } from "../../plugins/load";
import { globalPaths, projectPaths } from "../../state/paths";
import { requireWorkdir } from "../../state/workdir";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

export interface PluginsListOptions {
  dir?: string;
  json?: boolean;
}

export async function pluginsListCommand(
  io: CliIo,
  options: PluginsListOptions,
  importer: PluginImporter = bunImporter,
): Promise<number> {
  const workdir = await requireWorkdir(io.sys.fs, resolve(io.cwd, options.dir ?? "."));
  const project = projectPaths(workdir);
  const { config } = await loadConfig(
    io.sys.fs,
    { globalConfig: globalPaths(io.sys.naxHome).config, projectConfig: project.config },
    {},
  );
  const plugins = await loadPlugins(io.sys.fs, importer, {
    workdir,
    naxHome: io.sys.naxHome,
    config,
    configFile: project.config,
  });
  const loaded = plugins.loaded.map((p) => ({
    name: p.plugin.name,
    ...(p.plugin.version === undefined ? {} : { version: p.plugin.version }),
    source: p.source,
    points: p.points,
    settings: p.plugin.configSchema !== undefined,
  }));
  if (options.json) {
    io.out(JSON.stringify({ loaded, failed: plugins.failed }, null, 2));
    return 0;
  }
  if (loaded.length === 0 && plugins.failed.length === 0) {
    io.out("No plugins: put one in nax/plugins/ or $NAX_HOME/plugins/, or name a package in plugins.packages.");
    return 0;
  }
  const lines = loaded.map(
    (p) =>
      `loaded  ${p.name}${p.version ? ` ${p.version}` : ""}  ${p.points.join(", ") || "(no extension point)"}  ${p.source}`,
  );
  lines.push(...plugins.failed.map((f) => `FAILED  ${f.source}: ${f.reason}`));
  io.out(lines.join("\n"));
  return 0;
}

export const registerPlugins: RegisterCommand = (program, ctx) => {
  const plugins = program.command("plugins").description("the plugins a run loads");
  plugins
    .command("list")
    .description("what loaded (name, extension points, file) and what did not, with why")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("--json", "machine-readable output")
    .action(async (options: PluginsListOptions) => {
      ctx.setExit(await pluginsListCommand(ctx.io, options));
    });
};
