import { describe, expect, test } from "bun:test";
import { buildClaudeEnv, isAllowedAgentEnvName } from "../../../../src/agents/claude/env";

describe("buildClaudeEnv", () => {
  const parent = {
    PATH: "/usr/bin",
    HOME: "/home/u",
    TMPDIR: "/tmp",
    LANG: "C.UTF-8",
    LC_ALL: "C",
    USER: "u",
    SHELL: "/bin/bash",
    TERM: "xterm",
    ANTHROPIC_API_KEY: "sk-ant-x",
    ANTHROPIC_BASE_URL: "http://127.0.0.1:1",
    CLAUDE_CONFIG_DIR: "/c",
    CLAUDE_CODE_MAX_RETRIES: "1",
    IS_SANDBOX: "1",
    NAX_HOME: "/n",
    API_TIMEOUT_MS: "3000",
    DISABLE_TELEMETRY: "1",
    HTTPS_PROXY: "http://proxy:3128",
    no_proxy: "localhost",
    AWS_SECRET_ACCESS_KEY: "secret",
    GITHUB_TOKEN: "ghp_secret",
    OPENAI_API_KEY: "sk-openai",
    CLAUDECODE: "1",
    NODE_OPTIONS: "--inspect",
    UNSET: undefined,
  };

  test("passes the allowlist and nothing else: a secret-looking variable outside it is dropped", () => {
    const env = buildClaudeEnv(parent);
    expect(Object.keys(env).sort()).toEqual(
      [
        "PATH",
        "HOME",
        "TMPDIR",
        "LANG",
        "LC_ALL",
        "USER",
        "SHELL",
        "TERM",
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_BASE_URL",
        "CLAUDE_CONFIG_DIR",
        "CLAUDE_CODE_MAX_RETRIES",
        "IS_SANDBOX",
        "NAX_HOME",
        "API_TIMEOUT_MS",
        "DISABLE_TELEMETRY",
        "HTTPS_PROXY",
        "no_proxy",
      ].sort(),
    );
    expect(env.GITHUB_TOKEN).toBeUndefined();
    expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
  });

  test("the tier's env is added and wins over the parent's value", () => {
    const env = buildClaudeEnv(parent, { ANTHROPIC_MODEL: "x", CUSTOM_TIER_FLAG: "on", HOME: "/other" });
    expect(env.CUSTOM_TIER_FLAG).toBe("on");
    expect(env.HOME).toBe("/other");
    expect(env.ANTHROPIC_MODEL).toBe("x");
  });

  test("CLAUDECODE (an enclosing session's marker) is not mistaken for a CLAUDE_ variable", () => {
    expect(isAllowedAgentEnvName("CLAUDECODE")).toBe(false);
    expect(isAllowedAgentEnvName("CLAUDE_CODE_TMPDIR")).toBe(true);
    expect(isAllowedAgentEnvName("http_proxy")).toBe(true);
    expect(isAllowedAgentEnvName("PATHX")).toBe(false);
  });
});
