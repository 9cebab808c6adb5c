import { describe, expect, test } from "bun:test";
import { createAgentAdapter, knownAgentNames } from "../../../src/agents/registry";
import { isNaxError } from "../../../src/errors";
import { createSys } from "../../../src/system/sys";

const sys = createSys({ env: { PATH: "/usr/bin:/bin" }, naxHome: "/nonexistent-nax-home" });

describe("createAgentAdapter", () => {
  test("claude is known and builds the claude adapter", () => {
    expect(knownAgentNames()).toContain("claude");
    expect(createAgentAdapter("claude", { sys }).name).toBe("claude");
  });

  test("codex, opencode and gemini are known and build their own adapters", () => {
    for (const name of ["codex", "opencode", "gemini"]) expect(createAgentAdapter(name, { sys }).name).toBe(name);
  });

  test("an unknown name is a USAGE error listing the known agents", () => {
    let caught: unknown;
    try {
      createAgentAdapter("aider", { sys });
    } catch (error) {
      caught = error;
    }
    expect(isNaxError(caught, "USAGE")).toBe(true);
    expect((caught as Error).message).toContain('"aider"');
    expect((caught as Error).message).toContain("claude");
  });

  test("inherited object keys are not agent names", () => {
    expect(() => createAgentAdapter("toString", { sys })).toThrow("Unknown agent");
  });

  test("the configured command is the one the adapter spawns", async () => {
    const adapter = createAgentAdapter("claude", {
      sys,
      agents: { claude: { command: "/nonexistent/custom-claude", extraArgs: [], models: {} } },
    });
    const check = await adapter.isInstalled();
    expect(check.ok).toBe(false);
    expect(check.message).toContain("/nonexistent/custom-claude");
  });
});
