import { describe, expect, test } from "bun:test";
import { explainConfig, schemaLeaves } from "../../../src/config/explain";
import { ConfigSchema, defaultConfig } from "../../../src/config/schema";

describe("schemaLeaves", () => {
  test("every leaf key of the config schema carries a one-line description", () => {
    const leaves = schemaLeaves();
    expect(leaves.length).toBeGreaterThan(40);
    const missing = leaves.filter((leaf) => !leaf.description?.trim()).map((leaf) => leaf.path);
    expect(missing).toEqual([]);
    for (const leaf of leaves) expect(leaf.description).not.toContain("\n");
  });

  test("walks through defaults and optionals to the leaves, and treats a record as one leaf", () => {
    const paths = schemaLeaves().map((leaf) => leaf.path);
    expect(paths).toContain("execution.rateLimit.maxWaitSeconds");
    expect(paths).toContain("quality.commands.test");
    expect(paths).toContain("agents.claude.command");
    expect(paths).not.toContain("execution");
    expect(schemaLeaves().find((leaf) => leaf.path === "models")?.record).toBe(true);
  });
});

describe("explainConfig", () => {
  const layers = [
    {
      source: "/home/.nax/config.json",
      values: { execution: { costLimit: 3, maxIterations: 7 }, models: { fast: "x" } },
    },
    { source: "/p/nax/config.json", values: { execution: { maxIterations: 9 } } },
    { source: "command-line flags", values: { execution: { costLimit: 1 } } },
  ];
  const config = ConfigSchema.parse({ execution: { costLimit: 1, maxIterations: 9 }, models: { fast: "x" } });
  const byKey = new Map(explainConfig(config, layers).map((k) => [k.key, k]));

  test("names the last layer that set each key, and the default for the rest", () => {
    expect(byKey.get("execution.maxIterations")).toMatchObject({ value: 9, source: "/p/nax/config.json" });
    expect(byKey.get("execution.costLimit")).toMatchObject({ value: 1, source: "command-line flags" });
    expect(byKey.get("execution.stallTimeoutSeconds")).toMatchObject({ value: 600, source: "default" });
  });

  test("explains a record per entry, and an unset optional key as undefined from the default", () => {
    expect(byKey.get("models.fast")).toMatchObject({ value: "x", source: "/home/.nax/config.json" });
    expect(byKey.has("models")).toBe(false);
    expect(byKey.get("quality.commands.lint")).toMatchObject({ value: undefined, source: "default" });
  });

  test("with no layers every key comes from the default, with the schema's description", () => {
    const keys = explainConfig(defaultConfig(), []);
    expect(keys.every((k) => k.source === "default")).toBe(true);
    expect(keys.find((k) => k.key === "models.balanced")).toMatchObject({ value: {} });
    expect(keys.find((k) => k.key === "execution.costLimit")?.description).toContain("USD");
  });
});
