import { describe, expect, test } from "bun:test";
import { ConfigSchema, tierChoice } from "../../../src/config/schema";

describe("tierChoice", () => {
  test("a config written before per-agent tiers still loads: a tier's string is the default agent's model", () => {
    const config = ConfigSchema.parse({
      models: { fast: "haiku", balanced: "claude-sonnet-4-5", powerful: { model: "opus", env: { X: "1" } } },
      execution: { permissionMode: "acceptEdits" },
    });
    expect(tierChoice(config, "fast")).toEqual({ agent: "claude", model: "haiku", env: {} });
    expect(tierChoice(config, "balanced").model).toBe("claude-sonnet-4-5");
    expect(tierChoice(config, "powerful")).toEqual({ agent: "claude", model: "opus", env: { X: "1" } });
    expect(config.execution.permissionMode).toBe("acceptEdits");
  });

  test("with no model named, the agent's own map names it; each agent maps the default tiers", () => {
    const config = ConfigSchema.parse({});
    expect(tierChoice(config, "balanced")).toEqual({ agent: "claude", model: "sonnet", env: {} });
    for (const agent of ["codex", "opencode", "gemini"] as const) {
      expect(tierChoice(config, "powerful", {}, agent).model).toBe(config.agents[agent].models.powerful as string);
    }
  });

  test("a tier may name an agent and a model; a string tier's model stays with the default agent on a fallback", () => {
    const config = ConfigSchema.parse({ models: { fast: "haiku", balanced: { agent: "codex", model: "gpt-5" } } });
    expect(tierChoice(config, "balanced")).toEqual({ agent: "codex", model: "gpt-5", env: {} });
    expect(tierChoice(config, "fast", {}, "gemini").model).toBe("gemini-2.5-flash");
    expect(tierChoice(config, "balanced", {}, "claude").model).toBe("sonnet");
  });

  test("a story's pin wins over the tier, and its model goes with its agent only", () => {
    const config = ConfigSchema.parse({});
    expect(tierChoice(config, "fast", { agent: "gemini", model: "gemini-2.5-pro" })).toMatchObject({
      agent: "gemini",
      model: "gemini-2.5-pro",
    });
    expect(tierChoice(config, "fast", { agent: "gemini", model: "gemini-2.5-pro" }, "codex").model).toBe(
      "gpt-5.1-codex-mini",
    );
  });

  test("an unknown agent in a tier, a pin or the fallback list is refused by the schema", () => {
    expect(ConfigSchema.safeParse({ models: { fast: { agent: "aider" } } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ autoMode: { fallback: ["aider"] } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ autoMode: { defaultAgent: "aider" } }).success).toBe(false);
  });
});
