/**
 * Before any story starts: can every agent this run's tiers name run, or
 * take over through `autoMode.fallback`? An agent that is not usable is
 * fine when an agent after it in the fallback list is; otherwise its check
 * (what is wrong, the fix) stops the run before a story starts.
 */
import { type AgentName, type NaxConfig, tierChoice } from "../config/schema";
import type { AgentPool } from "./pool";
import type { AgentInstallCheck } from "./types";

/** The agents the tiers run on, the default agent first. */
export function agentsOfRun(config: NaxConfig): AgentName[] {
  const names = new Set<AgentName>([config.autoMode.defaultAgent]);
  for (const tier of Object.keys(config.models)) names.add(tierChoice(config, tier).agent);
  return [...names];
}

export async function checkRunAgents(
  config: NaxConfig,
  pool: AgentPool,
): Promise<AgentInstallCheck & { agent: AgentName }> {
  const checks = new Map<AgentName, AgentInstallCheck>();
  const check = async (name: AgentName) => {
    const known = checks.get(name) ?? (await pool.get(name).isInstalled());
    checks.set(name, known);
    return known;
  };
  for (const name of agentsOfRun(config)) {
    const own = await check(name);
    if (own.ok) continue;
    let covered = false;
    for (const fallback of config.autoMode.fallback) {
      if (fallback !== name && (await check(fallback)).ok) {
        covered = true;
        break;
      }
    }
    if (!covered) return { ...own, agent: name };
  }
  const first = config.autoMode.defaultAgent;
  return { ...(checks.get(first) ?? { ok: true }), ok: true, agent: first };
}
