/**
 * `nax config [--explain] [--json]`: the effective config, loaded exactly as
 * `nax run` loads it (defaults < NAX_HOME/config.json < nax/config.json <
 * flags). `--explain` lists every key with its value, the layer that set it
 * and its description. `--max-iterations` / `--cost-limit` show what those
 * `nax run` flags would make of it.
 */
import { resolve } from "node:path";
import { explainConfig } from "../../config/explain";
import { loadConfig } from "../../config/load";
import { globalPaths, projectPaths } from "../../state/paths";
import { requireWorkdir } from "../../state/workdir";
import { createRedactor } from "../../system/secrets";
import { type CliIo, redactIo } from "../io";
import type { RegisterCommand } from "../program";
import { cliOverrides } from "./run";

export interface ConfigOptions {
  dir?: string;
  explain?: boolean;
  json?: boolean;
  maxIterations?: string;
  costLimit?: string;
}

function shown(value: unknown): string {
  return value === undefined ? "(not set)" : JSON.stringify(value);
}

export async function configCommand(unsafeIo: CliIo, options: ConfigOptions): Promise<number> {
  const workdir = await requireWorkdir(unsafeIo.sys.fs, resolve(unsafeIo.cwd, options.dir ?? "."));
  const overrides = cliOverrides(options);
  const { config, layers } = await loadConfig(
    unsafeIo.sys.fs,
    { globalConfig: globalPaths(unsafeIo.sys.naxHome).config, projectConfig: projectPaths(workdir).config },
    overrides,
  );
  // A tier's `env` may hold a key's value: redacted as the run redacts it (trap 30, docs/traps.md).
  const tierEnvs = Object.values(config.models).flatMap((spec) => (typeof spec === "string" ? [] : [spec.env ?? {}]));
  const io = redactIo(unsafeIo, createRedactor(tierEnvs, config.security.redactEnvNames));
  if (!options.explain) {
    io.out(JSON.stringify(config, null, 2));
    return 0;
  }
  const keys = explainConfig(config, layers);
  if (options.json) {
    io.out(JSON.stringify(keys, null, 2));
    return 0;
  }
  const lines = [`layers, lowest first: default, ${layers.map((l) => l.source).join(", ") || "(no config file)"}`];
  for (const key of keys) {
    lines.push(`${key.key} = ${shown(key.value)}  [${key.source}]`, `    ${key.description}`);
  }
  io.out(lines.join("\n"));
  return 0;
}

export const registerConfig: RegisterCommand = (program, ctx) => {
  program
    .command("config")
    .description("the effective config; --explain: every key, its value, the layer that set it and what it does")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("--explain", "every key with its value, its source layer and its description")
    .option("--json", "machine-readable output")
    .option("--max-iterations <n>", "as `nax run --max-iterations`: shown as the command-line layer")
    .option("--cost-limit <usd>", "as `nax run --cost-limit`: shown as the command-line layer")
    .action(async (options: ConfigOptions) => {
      ctx.setExit(await configCommand(ctx.io, options));
    });
};
