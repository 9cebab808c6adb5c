/**
 * The environment for running the REAL Claude Code CLI against the loopback
 * mock (test/helpers/mock-anthropic): its own HOME, CLAUDE_CONFIG_DIR,
 * CLAUDE_CODE_TMPDIR and TMPDIR under a temp root (so nothing touches ~/.claude
 * or the shared tmp), the mock's base URL (no `/v1`: the CLI appends it), a
 * fake key, low retries and a request timeout, every optional traffic off,
 * and IS_SANDBOX=1 (we run as root in CI; pass `isSandbox: false` to see the
 * root refusal).
 */
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

export interface ClaudeTestEnvOptions {
  /** A temp dir owned by the test; the CLI's home and tmp are created inside. */
  root: string;
  /** The mock's `url`. */
  baseUrl: string;
  /** Scenario name sent as `x-mock-scenario` on every request of this process. */
  scenario?: string;
  isSandbox?: boolean;
  /** CLAUDE_CODE_MAX_RETRIES; the CLI's default of 10 takes ~3 minutes on a persistent error. */
  maxRetries?: number;
  /** API_TIMEOUT_MS: until response headers; it does not cover a stream that stalls later. */
  apiTimeoutMs?: number;
  extra?: Record<string, string>;
}

/** The devDependency's binary. */
export function realClaudePath(): string {
  return resolve(import.meta.dir, "../../node_modules/.bin/claude");
}

export async function createClaudeTestEnv(options: ClaudeTestEnvOptions): Promise<Record<string, string>> {
  const home = join(options.root, "home");
  const configDir = join(home, ".claude");
  const tmp = join(options.root, "tmp");
  await mkdir(configDir, { recursive: true });
  await mkdir(tmp, { recursive: true });
  const env: Record<string, string> = {
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    CLAUDE_CONFIG_DIR: configDir,
    CLAUDE_CODE_TMPDIR: tmp,
    TMPDIR: tmp,
    LANG: "C.UTF-8",
    ANTHROPIC_BASE_URL: options.baseUrl,
    ANTHROPIC_API_KEY: "sk-ant-test-mock",
    CLAUDE_CODE_MAX_RETRIES: String(options.maxRetries ?? 1),
    API_TIMEOUT_MS: String(options.apiTimeoutMs ?? 10_000),
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  };
  if (options.isSandbox ?? true) env.IS_SANDBOX = "1";
  if (options.scenario) env.ANTHROPIC_CUSTOM_HEADERS = `x-mock-scenario: ${options.scenario}`;
  return { ...env, ...options.extra };
}
