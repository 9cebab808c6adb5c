/**
 * Notifications: the run's end (finished, failed, stalled; a crash is
 * `failed`) and a story that needs a person (`story:paused`) sent to every
 * channel, as configured in `interaction.notify`. Nothing is asked; a channel
 * that fails is logged, never the run's problem.
 */

import type { NaxConfig } from "../config/schema";
import type { Detach, EventBus } from "../events/bus";
import { describeEvent } from "../subscribers/describe-event";
import type { Interaction } from "./interaction";
import type { NotificationKind } from "./question";

export function attachNotifier(bus: EventBus, interaction: Interaction, config: NaxConfig): Detach {
  const wanted = new Set<string>(config.interaction.notify);
  return bus.onAny(
    async (event) => {
      let kind: NotificationKind | undefined;
      if (event.type === "run:completed") kind = event.data.status === "completed" ? "finished" : event.data.status;
      else if (event.type === "run:crashed") kind = "failed";
      else if (event.type === "story:paused") kind = "needs-you";
      if (kind === undefined || !wanted.has(kind)) return;
      const storyId = "storyId" in event.data ? event.data.storyId : undefined;
      await interaction.notify({
        kind,
        text: describeEvent(event).message,
        ...(typeof storyId === "string" ? { storyId } : {}),
      });
    },
    { name: "notifier" },
  );
}
