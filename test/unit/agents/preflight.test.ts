import { describe, expect, test } from "bun:test";
import { type CliPreflight, checkCliInstalled } from "../../../src/agents/preflight";
import type { Spawner, SpawnResult } from "../../../src/system/spawn";
import { exited } from "../verification/fake-spawner";

function cli(login: CliPreflight["login"]): CliPreflight {
  return { label: "Codex CLI", command: "codex", env: {}, installFix: "install it", loginFix: "log in", login };
}

describe("checkCliInstalled", () => {
  test("asks the login question while the version is asked, and reads both", async () => {
    let loginAsked = false;
    let loginAskedBeforeVersion = false;
    const spawn = (async (): Promise<SpawnResult> => {
      await Bun.sleep(5);
      loginAskedBeforeVersion = loginAsked;
      return exited(0, "codex-cli 0.50.1");
    }) as unknown as Spawner;
    const check = await checkCliInstalled(
      { spawn },
      cli(async () => {
        loginAsked = true;
        return "no";
      }),
    );
    expect(loginAskedBeforeVersion).toBe(true);
    expect(check).toMatchObject({ ok: false, installed: true, version: "0.50.1", login: "no", fix: "log in" });
  });

  test("a missing CLI is 'not found' whatever the login question said", async () => {
    const spawn = (async (): Promise<SpawnResult> => ({
      kind: "not-found",
      command: "codex",
      message: "not found",
    })) as unknown as Spawner;
    const check = await checkCliInstalled(
      { spawn },
      cli(async () => Promise.reject(new Error("no codex"))),
    );
    expect(check).toMatchObject({ ok: false, installed: false, fix: "install it" });
  });
});
