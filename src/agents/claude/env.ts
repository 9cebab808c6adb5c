/**
 * The Claude CLI's environment: the shared allowlist (agent-env.ts) plus the
 * names Claude Code reads. "CLAUDECODE" (no underscore, set by an enclosing
 * session) is deliberately not matched; CLAUDE_ also covers CLAUDE_CODE_*.
 */
import { type AgentEnvRule, buildAgentEnv, isAllowedEnvName } from "../agent-env";

const CLAUDE_ENV: AgentEnvRule = {
  exact: ["IS_SANDBOX", "API_TIMEOUT_MS"],
  prefixes: ["LC_", "ANTHROPIC_", "CLAUDE_", "NAX_", "DISABLE_"],
};

export function isAllowedAgentEnvName(name: string): boolean {
  return isAllowedEnvName(name, CLAUDE_ENV);
}

export function buildClaudeEnv(
  parent: Readonly<Record<string, string | undefined>>,
  tierEnv: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return buildAgentEnv(CLAUDE_ENV, parent, tierEnv);
}
