import { describe, expect, test } from "bun:test";
import { buildInteraction } from "../../../src/interaction/build";
import { createSys } from "../../../src/system/sys";
import { makeConfig } from "../pipeline/helpers";
import { recordingBus, recordingLogger } from "./fixtures";

function build(config: ReturnType<typeof makeConfig>, env: Record<string, string> = {}, isTTY = false) {
  const { bus, events } = recordingBus();
  const { logger, lines } = recordingLogger();
  const interaction = buildInteraction({
    config,
    sys: createSys({ env, naxHome: "/nonexistent/nax-home" }),
    bus,
    logger,
    runId: "run-1",
    feature: "demo",
    runsDir: "/nonexistent/runs",
    signal: new AbortController().signal,
    fetch: () => Promise.reject(new Error("no network in tests")),
    terminal: { isTTY, onLine: () => () => undefined },
    write: () => undefined,
  });
  return { interaction, lines, events };
}

describe("building the run's interaction from config", () => {
  test("with no trigger and no channel, nothing is built: the run asks nothing", () => {
    expect(build(makeConfig()).interaction).toBeUndefined();
  });

  test("channels that cannot work are named and left out; the answers file still takes `nax answer`", async () => {
    const config = makeConfig({
      interaction: { channels: ["cli", "webhook", "telegram"], triggers: { tiersExhausted: true } },
    });
    const { interaction, lines, events } = build(config);
    expect(interaction).toBeDefined();
    expect(lines).toContain(
      "info: interaction: the cli channel is off (stdin is not a terminal); `nax answer` still works",
    );
    expect(lines).toContain(
      "warn: interaction: the webhook channel needs interaction.webhook.url and $NAX_WEBHOOK_SECRET; it is off",
    );
    expect(lines).toContain(
      "warn: interaction: the telegram channel needs $NAX_TELEGRAM_TOKEN and interaction.telegram.chatId; it is off",
    );
    await interaction?.close();
    expect(events).toEqual([]);
  });
});
