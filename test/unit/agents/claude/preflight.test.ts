import { describe, expect, test } from "bun:test";
import { CLAUDE_LOGIN_FIX, checkClaudeInstalled, parseAuthStatus } from "../../../../src/agents/claude/preflight";
import type { Spawner, SpawnOptions, SpawnResult } from "../../../../src/system/spawn";
import { exited } from "../../verification/fake-spawner";

describe("parseAuthStatus", () => {
  test("reads loggedIn and the auth method from `claude auth status`", () => {
    expect(parseAuthStatus('{"loggedIn": false, "authMethod": "none", "apiProvider": "firstParty"}')).toEqual({
      loggedIn: false,
      authMethod: "none",
    });
    expect(parseAuthStatus('{"loggedIn": true, "authMethod": "api_key"}')?.loggedIn).toBe(true);
  });

  test("output it cannot read is unknown, never 'not logged in'", () => {
    expect(parseAuthStatus("error: unknown command 'auth'")).toBeUndefined();
    expect(parseAuthStatus('{"status": "ok"}')).toBeUndefined();
  });
});

describe("checkClaudeInstalled", () => {
  /** A spawn that notes, when `--version` answers, whether `auth status` had been asked by then. */
  function recordingSpawn(auth: string) {
    const seen = { asked: [] as string[], authBeforeVersionAnswered: false };
    const spawn = async (options: SpawnOptions): Promise<SpawnResult> => {
      const args = options.cmd.slice(1).join(" ");
      seen.asked.push(args);
      if (args !== "--version") return exited(0, auth);
      await Bun.sleep(5);
      seen.authBeforeVersionAnswered = seen.asked.includes("auth status");
      return exited(0, "2.1.197 (Claude Code)");
    };
    return { seen, spawn: spawn as unknown as Spawner };
  }

  test("asks for the version and the login at once, and reads both", async () => {
    const { seen, spawn } = recordingSpawn('{"loggedIn": true, "authMethod": "api_key"}');
    const check = await checkClaudeInstalled({ spawn, env: {} }, "claude");
    expect(seen.authBeforeVersionAnswered).toBe(true);
    expect(seen.asked.sort()).toEqual(["--version", "auth status"]);
    expect(check).toEqual({ ok: true, installed: true, version: "2.1.197", login: "yes" });
  });

  test("a CLI that is not logged in is refused with the login fix", async () => {
    const { spawn } = recordingSpawn('{"loggedIn": false, "authMethod": "none"}');
    const check = await checkClaudeInstalled({ spawn, env: {} }, "claude");
    expect(check.ok).toBe(false);
    expect(check.fix).toBe(CLAUDE_LOGIN_FIX);
  });
});
