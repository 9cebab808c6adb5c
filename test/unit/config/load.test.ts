import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, mergeLayers } from "../../../src/config/load";
import { defaultConfig } from "../../../src/config/schema";
import { isNaxError } from "../../../src/errors";
import { createNodeFs } from "../../../src/system/fs";

let dir: string;
const fs = createNodeFs();
const paths = () => ({ globalConfig: join(dir, "global.json"), projectConfig: join(dir, "project.json") });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "nax-config-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadConfig", () => {
  test("with no files every key has its default", async () => {
    const { config, layers } = await loadConfig(fs, paths());
    expect(layers).toHaveLength(0);
    expect(config).toEqual(defaultConfig());
    expect(config.execution.maxIterations).toBe(50);
    expect(config.autoMode.escalation.tierOrder.map((t) => `${t.tier}x${t.attempts}`)).toEqual([
      "fastx3",
      "balancedx3",
      "powerfulx2",
    ]);
  });

  test("layers apply in order: defaults < global < project < flags", async () => {
    await writeFile(paths().globalConfig, JSON.stringify({ execution: { maxIterations: 7, costLimit: 3 } }));
    await writeFile(paths().projectConfig, JSON.stringify({ execution: { maxIterations: 9 } }));
    const { config } = await loadConfig(fs, paths(), { execution: { costLimit: 1.5 } });
    expect(config.execution.maxIterations).toBe(9);
    expect(config.execution.costLimit).toBe(1.5);
    expect(config.execution.sessionTimeoutSeconds).toBe(defaultConfig().execution.sessionTimeoutSeconds);
  });

  test("a CLI layer that omits a key never overrides the config with a default (trap 14)", async () => {
    await writeFile(paths().projectConfig, JSON.stringify({ execution: { maxIterations: 4 } }));
    const { config } = await loadConfig(fs, paths(), {});
    expect(config.execution.maxIterations).toBe(4);
  });

  test("an unknown key is an error naming the file and the path (trap 14)", async () => {
    await writeFile(paths().projectConfig, JSON.stringify({ execution: { maxIteratons: 3 } }));
    const error = await loadConfig(fs, paths()).catch((e) => e);
    expect(isNaxError(error, "CONFIG_INVALID")).toBe(true);
    expect(error.message).toContain(paths().projectConfig);
    expect(error.message).toContain("execution");
    expect(error.message).toContain("maxIteratons");
  });

  test("a wrong type names the field", async () => {
    await writeFile(paths().globalConfig, JSON.stringify({ execution: { costLimit: "ten" } }));
    const error = await loadConfig(fs, paths()).catch((e) => e);
    expect(error.message).toContain(`${paths().globalConfig}: execution.costLimit:`);
  });

  test("invalid JSON is an error naming the file, and nothing is written", async () => {
    await writeFile(paths().projectConfig, "{ nope");
    const error = await loadConfig(fs, paths()).catch((e) => e);
    expect(isNaxError(error, "CONFIG_INVALID")).toBe(true);
    expect(error.message).toContain(paths().projectConfig);
    expect((await readdir(dir)).sort()).toEqual(["project.json"]);
  });
});

describe("mergeLayers", () => {
  test("objects merge by key while arrays are replaced whole", () => {
    const merged = mergeLayers({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] }, d: true });
    expect(merged).toEqual({ a: { b: 1, c: [3] }, d: true });
  });
});

describe("tier names and typos in config", () => {
  test("a complexityRouting tier that models does not define is rejected with file, field and the known tiers", async () => {
    await writeFile(paths().projectConfig, JSON.stringify({ autoMode: { complexityRouting: { simple: "turbo" } } }));
    const error = await loadConfig(fs, paths()).catch((e) => e);
    expect(isNaxError(error, "CONFIG_INVALID")).toBe(true);
    expect(error.message).toBe(
      `${paths().projectConfig}: autoMode.complexityRouting.simple: "turbo" is not a tier in models; use one of "fast", "balanced", "powerful" (or add "turbo" to models)`,
    );
  });

  test('a misspelt tierOrder tier gets "did you mean fast"', async () => {
    await writeFile(
      paths().globalConfig,
      JSON.stringify({ autoMode: { escalation: { tierOrder: [{ tier: "fats", attempts: 2 }] } } }),
    );
    const error = await loadConfig(fs, paths()).catch((e) => e);
    expect(error.message).toContain(
      `${paths().globalConfig}: autoMode.escalation.tierOrder[0].tier: "fats" is not a tier in models; did you mean "fast"?`,
    );
  });

  test("a models tier nothing uses that is a near-typo of a used tier is an error with the suggestion", async () => {
    await writeFile(
      paths().projectConfig,
      JSON.stringify({ models: { fast: "haiku", balanced: "sonnet", powerful: "opus", powerfull: "opus" } }),
    );
    const error = await loadConfig(fs, paths()).catch((e) => e);
    expect(error.message).toBe(
      `${paths().projectConfig}: models.powerfull: no routing or tierOrder uses tier "powerfull"; did you mean "powerful"?`,
    );
  });

  test("an extra models tier that is not a typo, and a tier used only by routing.llm, are accepted", async () => {
    await writeFile(
      paths().projectConfig,
      JSON.stringify({
        models: { fast: "haiku", balanced: "sonnet", powerful: "opus", opus4: "claude-opus-4", router: "haiku" },
        routing: { llm: { model: "router" } },
      }),
    );
    const { config } = await loadConfig(fs, paths());
    expect(config.routing.llm.model).toBe("router");
  });

  test("models that drop a tier the defaults route to names the models file and the field", async () => {
    await writeFile(paths().projectConfig, JSON.stringify({ models: { fast: "haiku", balanced: "sonnet" } }));
    const error = await loadConfig(fs, paths()).catch((e) => e);
    expect(error.message).toContain(
      `${paths().projectConfig}: models: no tier "powerful", which autoMode.complexityRouting.complex uses by default`,
    );
  });

  test('an unknown config key gets a "did you mean" from the keys known at that place', async () => {
    await writeFile(paths().projectConfig, JSON.stringify({ execution: { maxIteratons: 3, zzz: 1 } }));
    const error = await loadConfig(fs, paths()).catch((e) => e);
    expect(error.message).toBe(
      `${paths().projectConfig}: execution: unknown key(s) "maxIteratons" (did you mean "maxIterations"?), "zzz"; remove or correct them`,
    );
  });

  test("an unknown key inside an array element and at the root get suggestions too", async () => {
    await writeFile(
      paths().projectConfig,
      JSON.stringify({ autoMode: { escalation: { tierOrder: [{ tier: "fast", atempts: 1 }] } }, qualty: {} }),
    );
    const error = await loadConfig(fs, paths()).catch((e) => e);
    expect(error.message).toContain('"atempts" (did you mean "attempts"?)');
    expect(error.message).toContain('"qualty" (did you mean "quality"?)');
  });
});
