/**
 * `nax agents [--json]`: each agent nax has an adapter for, with the
 * project's config (or the defaults outside a project): installed or not,
 * version, logged in or not (never a model call), capabilities, the model
 * each tier would run on it, and which tiers, default and fallback use it.
 */
import { resolve } from "node:path";
import { agentInventory, capabilityWords } from "../../agents/inventory";
import { createAgentPool } from "../../agents/pool";
import { createAgentAdapter } from "../../agents/registry";
import { loadConfig } from "../../config/load";
import { globalPaths, projectPaths } from "../../state/paths";
import { findWorkdir } from "../../state/workdir";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";
import { createPaint } from "../render/paint";
import { renderTable } from "../render/table";

export async function agentsCommand(io: CliIo, options: { dir?: string; json?: boolean }): Promise<number> {
  const workdir = await findWorkdir(io.sys.fs, resolve(io.cwd, options.dir ?? "."));
  const { config } = await loadConfig(io.sys.fs, {
    globalConfig: globalPaths(io.sys.naxHome).config,
    // Outside a project there is no project layer: that path does not exist, so only the defaults and NAX_HOME count.
    projectConfig: projectPaths(workdir ?? resolve(io.cwd)).config,
  });
  const pool = createAgentPool((name) =>
    createAgentAdapter(name, {
      sys: io.sys,
      agents: config.agents,
      legacyPermissionMode: config.execution.permissionMode,
    }),
  );
  const rows = await agentInventory(config, pool);
  if (options.json) {
    io.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  const paint = createPaint({ env: io.sys.env, isTTY: io.isTTY });
  const table = renderTable(
    [
      { header: "agent" },
      { header: "installed" },
      { header: "logged in" },
      { header: "capabilities" },
      { header: "models (tier=model; * runs there)" },
    ],
    rows.map((r) => [
      `${r.name}${r.isDefault ? " (default)" : ""}${r.fallback ? ` (fallback ${r.fallback})` : ""}`,
      r.installed ? (r.version ?? "yes") : paint.warn("no"),
      r.login === "no" ? paint.warn("no") : r.login,
      capabilityWords(r.capabilities).join(", "),
      Object.entries(r.models)
        .map(([tier, model]) => `${r.tiers.includes(tier) ? "*" : ""}${tier}=${model}`)
        .join(" "),
    ]),
    paint.bold,
  );
  const fixes = rows.flatMap((r) => (r.problem ? [`  ${r.name}: ${r.problem}${r.fix ? `; fix: ${r.fix}` : ""}`] : []));
  io.out([...table, ...(fixes.length > 0 ? ["", ...fixes] : [])].join("\n"));
  return 0;
}

export const registerAgents: RegisterCommand = (program, ctx) => {
  program
    .command("agents")
    .description("each coding agent: installed, version, logged in, capabilities, the models its tiers map to")
    .option("-d, --dir <path>", "project folder (default: found from the current folder; defaults outside a project)")
    .option("--json", "machine-readable output")
    .action(async (options: { dir?: string; json?: boolean }) => {
      ctx.setExit(await agentsCommand(ctx.io, options));
    });
};
