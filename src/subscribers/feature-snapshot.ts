/**
 * The feature's last-run snapshot `nax/features/<f>/status.json`: same schema
 * and same reducer as the live status, but written only when the run ends
 * (`run:completed`) or dies (`run:crashed`), so it always describes a whole run.
 */
import type { Detach, EventBus } from "../events/bus";
import type { Logger } from "../logger/logger";
import type { Fs } from "../system/fs";
import { initialStatus, reduceStatus, type StatusRunInfo } from "./status-reducer";
import { createLatestWriter } from "./writers";

export interface FeatureSnapshotDeps {
  fs: Fs;
  path: string;
  runInfo: StatusRunInfo;
  logger: Logger;
}

export function attachFeatureSnapshot(bus: EventBus, deps: FeatureSnapshotDeps): Detach {
  const writer = createLatestWriter({ fs: deps.fs, path: deps.path, logger: deps.logger, what: "feature snapshot" });
  let status = initialStatus(deps.runInfo);
  let started = false;

  return bus.onAny(
    async (event) => {
      if (event.type === "run:started") started = true;
      if (!started) return;
      const next = reduceStatus(status, event);
      const changed = next !== status;
      status = next;
      if (changed && (event.type === "run:completed" || event.type === "run:crashed")) {
        await writer.write(`${JSON.stringify(status, null, 2)}\n`);
      }
    },
    { name: "feature-snapshot" },
  );
}
