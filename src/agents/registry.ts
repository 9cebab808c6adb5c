/**
 * Adapter lookup by name (config `autoMode.defaultAgent`). Adding an agent
 * means adding one entry here; an unknown name is a usage error that lists
 * the known ones.
 */
import type { NaxConfig } from "../config/schema";
import { NaxError } from "../errors";
import type { Redactor } from "../system/secrets";
import type { Sys } from "../system/sys";
import { createClaudeAdapter } from "./claude/adapter";
import type { AgentAdapter } from "./types";

export interface AgentAdapterDeps {
  sys: Sys;
  /** The `agents` section of the config: per-agent command and extra args. */
  agents?: Partial<NaxConfig["agents"]>;
  /** The run's redactor: the adapter redacts the prompt and the agent's output before using them (trap 30). */
  redactor?: Pick<Redactor, "text">;
}

const FACTORIES: Record<string, (deps: AgentAdapterDeps) => AgentAdapter> = {
  claude: ({ sys, agents, redactor }) =>
    createClaudeAdapter({
      sys,
      command: agents?.claude?.command,
      extraArgs: agents?.claude?.extraArgs,
      ...(redactor ? { redact: redactor.text } : {}),
    }),
};

export function knownAgentNames(): string[] {
  return Object.keys(FACTORIES);
}

export function createAgentAdapter(name: string, deps: AgentAdapterDeps): AgentAdapter {
  const factory = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
  if (!factory) {
    throw new NaxError("USAGE", `Unknown agent "${name}". Known agents: ${knownAgentNames().join(", ")}.`, {
      agent: name,
    });
  }
  return factory(deps);
}
