/**
 * The live project status `nax/status.json`: the status reducer's latest
 * state, written atomically after every event that changes it, plus a
 * heartbeat timer that refreshes `lastHeartbeat` while the run lives (so
 * `nax status` can tell a quiet run from a dead one). Nothing is written
 * before `run:started`: a run that never got the lock writes nothing (trap 24).
 */
import type { Detach, EventBus } from "../events/bus";
import type { Logger } from "../logger/logger";
import type { Clock } from "../system/clock";
import type { Fs } from "../system/fs";
import { initialStatus, isTerminal, reduceStatus, type StatusRunInfo, touchHeartbeat } from "./status-reducer";
import { intervalTicker, type Ticker } from "./ticker";
import { createLatestWriter } from "./writers";

export const DEFAULT_HEARTBEAT_MS = 10_000;

export interface StatusFileDeps {
  fs: Fs;
  clock: Clock;
  path: string;
  runInfo: StatusRunInfo;
  logger: Logger;
  heartbeatMs?: number;
  ticker?: Ticker;
}

export function attachStatusFile(bus: EventBus, deps: StatusFileDeps): Detach {
  const writer = createLatestWriter({ fs: deps.fs, path: deps.path, logger: deps.logger, what: "status file" });
  const ticker = deps.ticker ?? intervalTicker;
  let status = initialStatus(deps.runInfo);
  let started = false;
  let detached = false;
  let stopTimer: (() => void) | undefined;

  // The writer never rejects (a failure is logged and retried), so a tick may fire and forget.
  const write = () => writer.write(`${JSON.stringify(status, null, 2)}\n`);
  const stopHeartbeat = () => {
    stopTimer?.();
    stopTimer = undefined;
  };
  const onTick = () => {
    if (detached) return;
    const next = touchHeartbeat(status, deps.clock.iso());
    if (next === status) return;
    status = next;
    void write();
  };

  const unsubscribe = bus.onAny(
    async (event) => {
      if (detached) return;
      if (event.type === "run:started" && !started) {
        started = true;
        stopTimer = ticker(deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, onTick);
      }
      if (!started) return;
      const next = reduceStatus(status, event);
      if (isTerminal(next)) stopHeartbeat();
      if (next === status) return;
      status = next;
      await write();
    },
    { name: "status-file" },
  );

  return () => {
    detached = true;
    stopHeartbeat();
    unsubscribe();
  };
}
