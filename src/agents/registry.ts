/**
 * Adapter lookup by name (`autoMode.defaultAgent`, a tier's or a story's
 * `agent`, `autoMode.fallback`). Each entry builds one adapter from its own
 * `agents.<name>` section; an unknown name is a usage error that lists the
 * known ones.
 */
import { AGENT_NAMES, type AgentName, type NaxConfig } from "../config/schema";
import { NaxError } from "../errors";
import type { Redactor } from "../system/secrets";
import type { Sys } from "../system/sys";
import { createClaudeAdapter } from "./claude/adapter";
import { createCodexAdapter } from "./codex/adapter";
import { createGeminiAdapter } from "./gemini/adapter";
import { createOpencodeAdapter } from "./opencode/adapter";
import type { AgentAdapter } from "./types";

export interface AgentAdapterDeps {
  sys: Sys;
  /** The `agents` section of the config: each agent's command, extra args, models and own settings. */
  agents?: Partial<NaxConfig["agents"]>;
  /** `execution.permissionMode`, the older name of `agents.claude.permissionMode`. */
  legacyPermissionMode?: NaxConfig["execution"]["permissionMode"];
  /** The run's redactor: the adapter redacts the prompt and the agent's output before using them (trap 30). */
  redactor?: Pick<Redactor, "text">;
}

const redactOf = (deps: AgentAdapterDeps) => (deps.redactor ? { redact: deps.redactor.text } : {});

const FACTORIES: Record<AgentName, (deps: AgentAdapterDeps) => AgentAdapter> = {
  claude: (deps) => {
    const own = deps.agents?.claude;
    const permissionMode = own?.permissionMode ?? deps.legacyPermissionMode;
    return createClaudeAdapter({
      sys: deps.sys,
      command: own?.command,
      extraArgs: own?.extraArgs,
      ...(own?.models ? { models: own.models } : {}),
      ...(permissionMode ? { permissionMode } : {}),
      ...redactOf(deps),
    });
  },
  codex: (deps) => createCodexAdapter({ sys: deps.sys, ...(deps.agents?.codex ?? {}), ...redactOf(deps) }),
  opencode: (deps) => createOpencodeAdapter({ sys: deps.sys, ...(deps.agents?.opencode ?? {}), ...redactOf(deps) }),
  gemini: (deps) => createGeminiAdapter({ sys: deps.sys, ...(deps.agents?.gemini ?? {}), ...redactOf(deps) }),
};

export function knownAgentNames(): string[] {
  return [...AGENT_NAMES];
}

export function isAgentName(name: string): name is AgentName {
  return (AGENT_NAMES as readonly string[]).includes(name);
}

export function createAgentAdapter(name: string, deps: AgentAdapterDeps): AgentAdapter {
  if (!isAgentName(name)) {
    throw new NaxError("USAGE", `Unknown agent "${name}". Known agents: ${knownAgentNames().join(", ")}.`, {
      agent: name,
    });
  }
  return FACTORIES[name](deps);
}
