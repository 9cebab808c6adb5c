/**
 * The agent's environment: an allowlist of the parent's variables plus the
 * tier's own `env` (README "Configuration"). Anything else (cloud credentials, tokens of
 * other tools, CLAUDECODE from an enclosing session) stays out.
 */

const EXACT = new Set([
  "PATH",
  "HOME",
  "TMPDIR",
  "LANG",
  "USER",
  "SHELL",
  "TERM",
  "IS_SANDBOX",
  "API_TIMEOUT_MS",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
]);

// CLAUDE_ also covers CLAUDE_CODE_*; "CLAUDECODE" (no underscore) is deliberately not matched.
const PREFIXES = ["LC_", "ANTHROPIC_", "CLAUDE_", "NAX_", "DISABLE_"];

export function isAllowedAgentEnvName(name: string): boolean {
  return EXACT.has(name) || PREFIXES.some((prefix) => name.startsWith(prefix));
}

export function buildClaudeEnv(
  parent: Readonly<Record<string, string | undefined>>,
  tierEnv: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && isAllowedAgentEnvName(name)) env[name] = value;
  }
  // The tier's env is explicit configuration: it wins, and is not filtered.
  return { ...env, ...tierEnv };
}
