/**
 * The run's event log `nax/features/<f>/runs/<runId>.jsonl`: every bus event
 * becomes one `EventLine`, appended in emission order. The file is named by
 * the bus's run id, the same id the status file and the registry use (trap
 * 17). Lines that could not be written are kept and appended with the next
 * event, so a full disk loses nothing that comes back in time.
 */
import type { Detach, EventBus } from "../events/bus";
import type { AnyNaxEvent } from "../events/events";
import type { Logger } from "../logger/logger";
import type { EventLine } from "../state/event-line";
import type { Fs } from "../system/fs";
import { describeEvent } from "./describe-event";
import { redactSecrets } from "./redact";
import { createAppendWriter } from "./writers";

export interface EventLogDeps {
  fs: Fs;
  /** `featurePaths(workdir, feature).runLog(bus.runId)`. */
  path: string;
  logger: Logger;
}

export function toEventLine(event: AnyNaxEvent): EventLine {
  const description = describeEvent(event);
  // A `log` event's level and message are the line's own; its payload is only the extra data.
  const payload = event.type === "log" ? (event.data.data ?? {}) : event.data;
  const line: EventLine = {
    ts: event.at,
    seq: event.seq,
    runId: event.runId,
    type: event.type,
    level: description.level,
    message: description.message,
    data: redactSecrets(payload) as Record<string, unknown>,
  };
  if (description.storyId !== undefined) line.storyId = description.storyId;
  if (description.stage !== undefined) line.stage = description.stage;
  return line;
}

export function attachEventLog(bus: EventBus, deps: EventLogDeps): Detach {
  const writer = createAppendWriter({ fs: deps.fs, path: deps.path, logger: deps.logger, what: "event log" });
  return bus.onAny((event) => writer.append(`${JSON.stringify(toEventLine(event))}\n`), { name: "event-log" });
}
