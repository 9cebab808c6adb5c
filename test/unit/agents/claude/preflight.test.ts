import { describe, expect, test } from "bun:test";
import { parseAuthStatus } from "../../../../src/agents/claude/preflight";

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
