import { describe, expect, test } from "bun:test";
import { attachNotifier } from "../../../src/interaction/notifier";
import type { Channel, Notification } from "../../../src/interaction/question";
import { SAMPLE_PAYLOADS } from "../../helpers/event-samples";
import { makeConfig } from "../pipeline/helpers";
import { interactionWith } from "./fixtures";

function notified(
  notify: ("finished" | "failed" | "stalled" | "needs-you")[] = ["finished", "failed", "stalled", "needs-you"],
) {
  const seen: Notification[] = [];
  const channel: Channel = { name: "recorder", notify: async (n) => void seen.push(n) };
  const { interaction, bus } = interactionWith([channel]);
  attachNotifier(bus, interaction, makeConfig({ interaction: { notify } }));
  return { bus, seen };
}

describe("notifications", () => {
  test("a run's end and a story that needs a person are sent to the channels, nothing asked", async () => {
    const { bus, seen } = notified();
    bus.emit("story:paused", { storyId: "US-002", reason: "rate limits exhausted" });
    bus.emit("run:completed", {
      ...SAMPLE_PAYLOADS["run:completed"],
      status: "stalled",
      exitReason: "no story can run",
    });
    await bus.drain();
    expect(seen.map((n) => [n.kind, n.storyId ?? null])).toEqual([
      ["needs-you", "US-002"],
      ["stalled", null],
    ]);
    expect(seen[1]?.text).toContain("run stalled (no story can run)");
    expect(seen[0]).toMatchObject({ runId: "run-1", feature: "demo" });
  });

  test("only the configured kinds are sent: a finished run with notify [failed] sends nothing", async () => {
    const { bus, seen } = notified(["failed"]);
    bus.emit("run:completed", SAMPLE_PAYLOADS["run:completed"]);
    await bus.drain();
    expect(seen).toEqual([]);
  });

  test("a crashed run is sent as failed", async () => {
    const { bus, seen } = notified();
    bus.emit("run:crashed", { error: "disk full" });
    await bus.drain();
    expect(seen.map((n) => n.kind)).toEqual(["failed"]);
  });
});
