/**
 * What `nax agents` shows: every adapter the config has a section for,
 * installed or not, its version, whether it is logged in (as far as the CLI
 * tells without a model call), its capabilities, and the model each tier
 * would run on it. The checks are `--version` and local status commands only.
 */
import { AGENT_NAMES, type AgentName, type NaxConfig, tierChoice } from "../config/schema";
import type { AgentPool } from "./pool";
import type { AgentCapabilities } from "./types";

export interface AgentInventoryRow {
  name: AgentName;
  command: string;
  installed: boolean;
  version?: string;
  login: "yes" | "no" | "unknown";
  /** Why it cannot run, and the fix, when it cannot. */
  problem?: string;
  fix?: string;
  capabilities: AgentCapabilities;
  /** Tier → the model a session of that tier runs with on this agent. */
  models: Record<string, string>;
  /** The tiers that run on this agent unless a story pins another. */
  tiers: string[];
  isDefault: boolean;
  /** Its place in autoMode.fallback (1-based), when listed. */
  fallback?: number;
}

export async function agentInventory(config: NaxConfig, pool: AgentPool): Promise<AgentInventoryRow[]> {
  // Concurrently: each check is a CLI start or two, seconds each on a busy machine.
  const checks = await Promise.all(AGENT_NAMES.map((name) => pool.get(name).isInstalled()));
  const rows: AgentInventoryRow[] = [];
  for (const [index, name] of AGENT_NAMES.entries()) {
    const adapter = pool.get(name);
    const check = checks[index] ?? { ok: false };
    const tiers = Object.keys(config.models);
    const fallbackAt = config.autoMode.fallback.indexOf(name);
    rows.push({
      name,
      command: config.agents[name].command,
      installed: check.installed ?? check.ok,
      ...(check.version ? { version: check.version } : {}),
      login: check.login ?? "unknown",
      ...(check.ok ? {} : { problem: check.message ?? "not usable", ...(check.fix ? { fix: check.fix } : {}) }),
      capabilities: adapter.capabilities,
      models: Object.fromEntries(tiers.map((tier) => [tier, tierChoice(config, tier, {}, name).model])),
      tiers: tiers.filter((tier) => tierChoice(config, tier).agent === name),
      isDefault: config.autoMode.defaultAgent === name,
      ...(fallbackAt >= 0 ? { fallback: fallbackAt + 1 } : {}),
    });
  }
  return rows;
}

const CAPABILITY_WORDS: Record<keyof AgentCapabilities, string> = {
  reportsCost: "cost",
  reportsTokens: "tokens",
  canResume: "resume",
  canRestrictEdits: "restrict-edits",
  hasOneShotCompletion: "one-shot",
};

/** The capabilities an adapter has, as short words. */
export function capabilityWords(capabilities: AgentCapabilities): string[] {
  return (Object.keys(CAPABILITY_WORDS) as Array<keyof AgentCapabilities>).flatMap((key) =>
    capabilities[key] ? [CAPABILITY_WORDS[key]] : [],
  );
}
