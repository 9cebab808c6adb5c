/**
 * The human progress file `nax/features/<f>/progress.txt`: one line per story
 * outcome, appended, e.g.
 * `2026-03-07T05:31:00Z US-001 passed (attempt 1, fast, $0.01) — Add login`.
 * Title and tier come from the story's `story:started`; a failed or paused
 * story's cost is the sum of its agent sessions in this run.
 */
import type { Detach, EventBus } from "../events/bus";
import type { AnyNaxEvent } from "../events/events";
import type { Logger } from "../logger/logger";
import type { Fs } from "../system/fs";
import { formatCost, isoSeconds } from "./format";
import { createAppendWriter } from "./writers";

export interface ProgressFileDeps {
  fs: Fs;
  path: string;
  /** Without one, a write failure is reported by the bus under this subscriber's name. */
  logger?: Logger;
}

interface StoryNote {
  title: string;
  tier: string;
  attempt: number;
  costUsd: number;
}

export interface ProgressState {
  stories: Map<string, StoryNote>;
}

function note(state: ProgressState, storyId: string): StoryNote {
  return state.stories.get(storyId) ?? { title: "", tier: "?", attempt: 0, costUsd: 0 };
}

function line(at: string, storyId: string, verdict: string, figures: string[], title: string, reason?: string) {
  const tail = [title, reason].filter(Boolean).join(": ");
  return `${isoSeconds(at)} ${storyId} ${verdict} (${figures.join(", ")})${tail ? ` — ${tail}` : ""}\n`;
}

/** Folds the event into `state` and returns the line it produces, if any. Pure apart from the state it is given. */
export function progressLine(state: ProgressState, event: AnyNaxEvent): string | undefined {
  switch (event.type) {
    case "story:started": {
      const d = event.data;
      const previous = state.stories.get(d.storyId);
      state.stories.set(d.storyId, {
        title: d.title,
        tier: d.tier,
        attempt: d.attempt,
        costUsd: previous?.costUsd ?? 0,
      });
      return undefined;
    }
    case "agent:session-completed": {
      const current = note(state, event.data.storyId);
      state.stories.set(event.data.storyId, { ...current, costUsd: current.costUsd + event.data.costUsd });
      return undefined;
    }
    case "story:completed": {
      const d = event.data;
      const n = note(state, d.storyId);
      return line(event.at, d.storyId, "passed", [`attempt ${d.attempts}`, n.tier, formatCost(d.costUsd)], n.title);
    }
    case "story:failed": {
      const d = event.data;
      const n = note(state, d.storyId);
      const figures = [`attempt ${d.attempts}`, n.tier, formatCost(n.costUsd)];
      return line(event.at, d.storyId, "failed", figures, n.title, d.reason);
    }
    case "story:paused": {
      const d = event.data;
      const n = note(state, d.storyId);
      return line(
        event.at,
        d.storyId,
        "paused",
        [`attempt ${n.attempt}`, n.tier, formatCost(n.costUsd)],
        n.title,
        d.reason,
      );
    }
    default:
      return undefined;
  }
}

export function attachProgressFile(bus: EventBus, deps: ProgressFileDeps): Detach {
  const writer = createAppendWriter({ fs: deps.fs, path: deps.path, logger: deps.logger, what: "progress file" });
  const state: ProgressState = { stories: new Map() };
  return bus.onAny(
    async (event) => {
      const text = progressLine(state, event);
      if (text !== undefined) await writer.append(text);
    },
    { name: "progress-file" },
  );
}
