import { describe, expect, test } from "bun:test";
import { ConfigSchema } from "../../../src/config/schema";
import { qualityCommandEnv } from "../../../src/verification/run-shell";

const env = {
  PATH: "/usr/bin",
  HOME: "/home/u",
  ANTHROPIC_API_KEY: "sk-ant-xyz-123456",
  AWS_SECRET_ACCESS_KEY: "aws-secret-123456",
  GITHUB_TOKEN: "ghp_abcdef123456",
  NPM_TOKEN: "npm_abcdef123456",
  CLAUDECODE: "1",
  DATABASE_URL: "postgres://x",
  UNSET: undefined,
};

describe("qualityCommandEnv", () => {
  test("with the default config, every secret-named variable and CLAUDECODE are dropped and the rest is kept", () => {
    const { quality, security } = ConfigSchema.parse({});
    const result = qualityCommandEnv(env, {
      keep: quality.keepEnvVars,
      strip: quality.stripEnvVars,
      secretNames: security.redactEnvNames,
    });
    expect(result).toEqual({ PATH: "/usr/bin", HOME: "/home/u", DATABASE_URL: "postgres://x" });
  });

  test("keepEnvVars lets named secrets through, redactEnvNames drops more, stripEnvVars always drops", () => {
    const result = qualityCommandEnv(env, {
      keep: ["NPM_TOKEN", "CLAUDECODE"],
      strip: ["CLAUDECODE", "HOME"],
      secretNames: ["DATABASE_URL"],
    });
    expect(result).toEqual({ PATH: "/usr/bin", NPM_TOKEN: "npm_abcdef123456" });
  });
});
