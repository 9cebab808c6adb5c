import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigSchema } from "../../../src/config/schema";
import { loadPlugins, type PluginImporter } from "../../../src/plugins/load";
import { withPluginRouter } from "../../../src/plugins/router";
import { parsePrd } from "../../../src/prd/load";
import type { Router } from "../../../src/routing/router";
import { keywordDecision } from "../../../src/routing/router";
import { createNodeFs } from "../../../src/system/fs";

const fs = createNodeFs();
let dir: string;

/** Modules by file name: what each plugin file "exports" without running any code from disk. */
function importerOf(modules: Record<string, unknown>): PluginImporter {
  return {
    import: async (path) => {
      const name = path.split("/").at(-1) ?? "";
      if (!(name in modules)) throw new Error(`no module ${name}`);
      return { default: modules[name] };
    },
    resolve: (name) => {
      throw new Error(`Cannot find package '${name}'`);
    },
  };
}

async function load(modules: Record<string, unknown>, config: Record<string, unknown> = {}) {
  for (const name of Object.keys(modules)) await writeFile(join(dir, "nax", "plugins", name), "");
  return loadPlugins(fs, importerOf(modules), {
    workdir: dir,
    naxHome: join(dir, "home"),
    config: ConfigSchema.parse(config),
    configFile: "nax/config.json",
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "nax-plugins-"));
  await mkdir(join(dir, "nax", "plugins"), { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loading plugins", () => {
  test("a default export of the wrong shape is not loaded and says which field is wrong", async () => {
    const result = await load({
      "a.ts": { name: "a", reporter: { "story:complete": () => undefined } },
      "b.ts": { name: "B c" },
      "c.ts": { name: "c", reviewer: { review: "not a function" } },
    });
    expect(result.loaded).toEqual([]);
    expect(result.failed.map((f) => f.reason)).toEqual([
      expect.stringContaining("story:complete"),
      expect.stringContaining("name"),
      expect.stringContaining("reviewer.review must be a function"),
    ]);
  });

  test("a second plugin with a name already loaded is refused, naming the first one's file", async () => {
    const result = await load({ "a.ts": { name: "same" }, "b.ts": { name: "same" } });
    expect(result.loaded.map((p) => p.source.endsWith("a.ts"))).toEqual([true]);
    expect(result.failed[0]?.reason).toContain("already loaded from");
  });

  test("a package named in plugins.packages that is not installed is listed as not loaded", async () => {
    const result = await load({}, { plugins: { packages: ["nax-plugin-missing"] } });
    expect(result.failed).toEqual([{ source: "nax-plugin-missing", reason: expect.stringContaining("not installed") }]);
  });
});

describe("a plugin router", () => {
  const prd = parsePrd(
    JSON.stringify({
      project: "p",
      feature: "f",
      userStories: ["US-1", "US-2", "US-3"].map((id) => ({ id, title: id, acceptanceCriteria: ["ok"] })),
    }),
    "prd.json",
  );
  const config = ConfigSchema.parse({});

  test("decides the stories it answers (decidedBy plugin); the configured router decides the rest and the failures", async () => {
    const fallbackSaw: string[] = [];
    const fallback: Router = {
      strategy: "keyword",
      async decide(stories) {
        fallbackSaw.push(...stories.map((s) => s.id));
        return {
          decisions: new Map(stories.map((s) => [s.id, keywordDecision(s, config)])),
          cost: { usd: 0, source: "none" },
          notes: [],
        };
      },
    };
    const route = async ({ storyId }: { storyId: string }) => {
      if (storyId === "US-1") return { complexity: "expert" as const };
      if (storyId === "US-2") throw new Error("router boom");
      return undefined;
    };
    const router = withPluginRouter(
      fallback,
      [{ plugin: { name: "r", router: { route } }, source: "r.ts", settings: undefined, points: ["router"] }],
      config,
      // Time never runs out here: the guard's limit is the clock's sleep, which only an abort ends.
      { sleep: (_ms, signal) => new Promise((done) => signal?.addEventListener("abort", () => done())) },
    );
    const batch = await router.decide(prd.userStories);
    expect(batch.decisions.get("US-1")).toMatchObject({ complexity: "expert", decidedBy: "plugin", tier: "powerful" });
    expect(fallbackSaw).toEqual(["US-2", "US-3"]);
    expect(batch.notes).toEqual([expect.stringContaining("plugin r: router threw: router boom for US-2")]);
  });
});
