/**
 * Whether a run can verify its stories (trap 28, docs/traps.md): with no test
 * command nothing would check the agent's work, so `nax run` refuses before
 * anything is written, unless the user turned tests off on purpose
 * (`quality.requireTests: false`); then every story that passes is recorded as
 * passed *unverified*. Pure: setup refuses, `--dry-run` warns, from the same text.
 */
import type { NaxConfig } from "./schema";

export type TestPolicy =
  | { kind: "verified"; command: string }
  | { kind: "unverified"; reason: string }
  | { kind: "missing"; message: string };

export const UNVERIFIED_REASON = "quality.requireTests is false: the story's tests were not run";

export function testPolicy(config: NaxConfig, configPath: string): TestPolicy {
  if (!config.quality.requireTests) return { kind: "unverified", reason: UNVERIFIED_REASON };
  const command = config.quality.commands.test?.trim();
  if (command) return { kind: "verified", command };
  return {
    kind: "missing",
    message:
      `${configPath}: quality.commands.test is not set, so nax cannot verify any story. ` +
      `Set it to the project's test command, e.g. "quality": { "commands": { "test": "npm test" } } ` +
      "(`nax init --force` detects it for package.json, pytest, go and cargo projects). " +
      'To run with no tests on purpose, set "quality": { "requireTests": false }: stories are then recorded as passed unverified.',
  };
}
