/** `nax agents` against the test doubles: installed or not, version, login, capabilities, models, tiers. */
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { AgentInventoryRow } from "../../src/agents/inventory";
import { createSys } from "../../src/system/sys";
import { fakeCliPath } from "../fakes/fake-cli-script";
import { createTestProject, type TestProject } from "../helpers/project";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

describe("nax agents", () => {
  test("lists every adapter, installed or not, with version, login, capabilities and the models its tiers map to", async () => {
    project = await createTestProject({
      config: {
        models: { fast: {}, balanced: { agent: "codex" }, powerful: { agent: "gemini", model: "gemini-2.5-flash" } },
        autoMode: { fallback: ["opencode"] },
        agents: {
          codex: { command: fakeCliPath("codex") },
          gemini: { command: fakeCliPath("gemini") },
          opencode: { command: join(project?.dir ?? "/nonexistent", "no-such-opencode") },
        },
      },
    });
    const sys = createSys({ env: { ...project.env, GEMINI_API_KEY: "fake-key" }, naxHome: project.home });
    const result = await project.nax(["agents", "--json"], { sys });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.out) as AgentInventoryRow[];
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect([...byName.keys()]).toEqual(["claude", "codex", "opencode", "gemini"]);
    expect(byName.get("claude")).toMatchObject({ installed: true, login: "yes", isDefault: true, tiers: ["fast"] });
    expect(byName.get("claude")?.capabilities).toMatchObject({ reportsCost: true, hasOneShotCompletion: true });
    expect(byName.get("codex")).toMatchObject({
      installed: true,
      version: "0.171.0-fake",
      login: "yes",
      tiers: ["balanced"],
      models: { fast: "gpt-5.1-codex-mini", balanced: "gpt-5.1-codex", powerful: "gpt-5.1-codex-max" },
    });
    expect(byName.get("codex")?.capabilities).toMatchObject({ reportsCost: false, reportsTokens: true });
    expect(byName.get("gemini")).toMatchObject({ installed: true, login: "yes", tiers: ["powerful"] });
    expect(byName.get("gemini")?.models.powerful).toBe("gemini-2.5-flash");
    expect(byName.get("opencode")).toMatchObject({ installed: false, fallback: 1, tiers: [] });
    expect(byName.get("opencode")?.fix).toBe("npm install -g opencode-ai");

    const text = await project.nax(["agents"], { sys });
    expect(text.out).toContain("opencode (fallback 1)");
    expect(text.out).toContain("*balanced=gpt-5.1-codex");
    expect(text.out).toContain("opencode: opencode CLI not found");
  });

  test("a CLI that says it is not logged in shows as such, with the way to log in", async () => {
    project = await createTestProject({ config: { agents: { codex: { command: fakeCliPath("codex") } } } });
    const sys = createSys({ env: { ...project.env, NAX_FAKE_AGENT_LOGGED_OUT: "1" }, naxHome: project.home });
    const rows = JSON.parse((await project.nax(["agents", "--json"], { sys })).out) as AgentInventoryRow[];
    const codex = rows.find((r) => r.name === "codex");
    expect(codex).toMatchObject({ installed: true, login: "no" });
    expect(codex?.fix).toContain("codex login");
  });
});
