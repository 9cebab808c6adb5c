/**
 * The run's event log `nax/features/<f>/runs/<runId>.jsonl`: every bus event
 * becomes one line, the versioned envelope (events/envelope.ts), appended in emission order. The file is named by
 * the bus's run id, the same id the status file and the registry use (trap
 * 17). Lines that could not be written are kept and appended with the next
 * event, so a full disk loses nothing that comes back in time.
 */
import type { Detach, EventBus } from "../events/bus";
import type { Logger } from "../logger/logger";
import type { Fs } from "../system/fs";
import { envelopeLine } from "./envelope";
import { createAppendWriter } from "./writers";

export interface EventLogDeps {
  fs: Fs;
  /** `featurePaths(workdir, feature).runLog(bus.runId)`. */
  path: string;
  logger: Logger;
}

export function attachEventLog(bus: EventBus, deps: EventLogDeps): Detach {
  const writer = createAppendWriter({ fs: deps.fs, path: deps.path, logger: deps.logger, what: "event log" });
  return bus.onAny((event) => writer.append(envelopeLine(event)), { name: "event-log" });
}
