/**
 * An agent's environment: an allowlist of the parent's variables plus the
 * tier's own `env` (README "Configuration"). Each adapter names the prefixes
 * its CLI reads (its own settings and its providers' keys); anything else
 * (cloud credentials, tokens of other tools, CLAUDECODE from an enclosing
 * session) stays out.
 */

const EXACT = new Set([
  "PATH",
  "HOME",
  "TMPDIR",
  "LANG",
  "USER",
  "SHELL",
  "TERM",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
]);

export interface AgentEnvRule {
  /** Names passed besides the shared ones. */
  exact?: readonly string[];
  prefixes: readonly string[];
}

export function isAllowedEnvName(name: string, rule: AgentEnvRule): boolean {
  return EXACT.has(name) || (rule.exact ?? []).includes(name) || rule.prefixes.some((p) => name.startsWith(p));
}

export function buildAgentEnv(
  rule: AgentEnvRule,
  parent: Readonly<Record<string, string | undefined>>,
  tierEnv: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && isAllowedEnvName(name, rule)) env[name] = value;
  }
  // The tier's env is explicit configuration: it wins, and is not filtered.
  return { ...env, ...tierEnv };
}
