/**
 * The example plugin (examples/plugins/slack-notifier), loaded the way a run
 * loads it (copied into a project's nax/plugins/), posting to a loopback
 * server this test starts: the events it listens to are posted with their
 * message, a server error becomes a warning naming the plugin, and bad
 * settings stop the run before it starts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConfigSchema } from "../../src/config/schema";
import { isNaxError } from "../../src/errors";
import { createEventBus } from "../../src/events/bus";
import { createMemoryLogger } from "../../src/logger/logger";
import { bunImporter, type LoadedPlugins, loadPlugins } from "../../src/plugins/load";
import { attachPluginReporters } from "../../src/plugins/reporters";
import { createSystemClock } from "../../src/system/clock";
import { createNodeFs } from "../../src/system/fs";
import { createRedactor } from "../../src/system/secrets";
import { SAMPLE_PAYLOADS } from "../helpers/event-samples";

const EXAMPLE = resolve(import.meta.dir, "../../examples/plugins/slack-notifier/index.ts");
const fs = createNodeFs();

interface Posted {
  text: string;
  event: string;
}

let dir: string;
let server: ReturnType<typeof Bun.serve>;
const posted: Posted[] = [];
let status = 200;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nax-slack-"));
  await mkdir(join(dir, "nax", "plugins", "slack-notifier"), { recursive: true });
  await copyFile(EXAMPLE, join(dir, "nax", "plugins", "slack-notifier", "index.ts"));
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      posted.push((await request.json()) as Posted);
      return new Response("ok", { status });
    },
  });
});
afterAll(async () => {
  server.stop(true);
  await rm(dir, { recursive: true, force: true });
});

function load(settings: Record<string, unknown>): Promise<LoadedPlugins> {
  return loadPlugins(fs, bunImporter, {
    workdir: dir,
    naxHome: join(dir, "home"),
    config: ConfigSchema.parse({ plugins: { settings: { "slack-notifier": settings } } }),
    configFile: "nax/config.json",
  });
}

async function emitRun(plugins: LoadedPlugins) {
  const bus = createEventBus({
    runId: "run-1",
    now: () => "2026-03-07T05:30:00.000Z",
    onSubscriberError: () => undefined,
  });
  const logger = createMemoryLogger();
  attachPluginReporters(bus, {
    plugins: plugins.loaded,
    logger,
    clock: createSystemClock(),
    redactor: createRedactor({}),
  });
  bus.emit("run:started", SAMPLE_PAYLOADS["run:started"]);
  bus.emit("story:failed", SAMPLE_PAYLOADS["story:failed"]);
  bus.emit("run:completed", SAMPLE_PAYLOADS["run:completed"]);
  await bus.drain();
  return logger;
}

describe("the slack-notifier example plugin", () => {
  test("loads from nax/plugins/ as a reporter and posts the failed story and the run's end, with their messages", async () => {
    posted.length = 0;
    status = 200;
    const plugins = await load({ url: `http://127.0.0.1:${server.port}/hook`, prefix: "shop" });
    expect(plugins.failed).toEqual([]);
    expect(plugins.loaded.map((p) => [p.plugin.name, p.points])).toEqual([["slack-notifier", ["reporter"]]]);
    const logger = await emitRun(plugins);
    expect(posted.map((p) => p.event)).toEqual(["story:failed", "run:completed"]);
    expect(posted[0]?.text).toStartWith(`shop: ${SAMPLE_PAYLOADS["story:failed"].storyId} failed`);
    expect(logger.records.filter((r) => r.level === "warn")).toEqual([]);
  });

  test("a server error is a warning naming the plugin; the other events are still posted", async () => {
    posted.length = 0;
    status = 500;
    const logger = await emitRun(await load({ url: `http://127.0.0.1:${server.port}/hook` }));
    expect(posted).toHaveLength(2);
    const warnings = logger.records.filter((r) => r.level === "warn").map((r) => r.message);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("plugin slack-notifier");
    expect(warnings[0]).toContain("answered 500");
  });

  test("settings without a URL stop before the run, naming plugins.settings.slack-notifier.url", async () => {
    const error = await load({ events: ["run:completed"] }).catch((e: unknown) => e);
    expect(isNaxError(error, "CONFIG_INVALID")).toBe(true);
    expect(String(error)).toContain("plugins.settings.slack-notifier.url");
  });
});
