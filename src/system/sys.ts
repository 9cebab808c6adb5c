/**
 * The injected system: every path (nax home, user home), the clock, the
 * environment, ids, pid liveness and spawning come from here. Production
 * builds it from the real process; tests pass temp dirs and fakes.
 */
import { randomUUID } from "node:crypto";
import { homedir, hostname as osHostname } from "node:os";
import { join } from "node:path";
import { type Clock, createSystemClock } from "./clock";
import { createNodeFs, type Fs } from "./fs";
import { createProcessGroups, isPidAlive, type ProcessGroups } from "./process-groups";
import { createSpawner, type Spawner } from "./spawn";

export interface Sys {
  fs: Fs;
  clock: Clock;
  spawn: Spawner;
  /** The groups this process spawned; the only thing signals are sent to. */
  processes: ProcessGroups;
  env: Readonly<Record<string, string | undefined>>;
  /** nax's global folder: `$NAX_HOME` or `~/.nax`. */
  naxHome: string;
  hostname: string;
  pid: number;
  isPidAlive(pid: number): boolean;
  uuid(): string;
}

export interface SysOverrides extends Partial<Sys> {
  /** The user's home, used when neither `naxHome` nor `NAX_HOME` is given. */
  userHome?: string;
}

export function createSys(overrides: SysOverrides = {}): Sys {
  const env = overrides.env ?? process.env;
  const processes = overrides.processes ?? createProcessGroups();
  const naxHome = overrides.naxHome ?? env.NAX_HOME ?? join(overrides.userHome ?? homedir(), ".nax");
  return {
    fs: overrides.fs ?? createNodeFs(),
    clock: overrides.clock ?? createSystemClock(),
    spawn: overrides.spawn ?? createSpawner(processes),
    processes,
    env,
    naxHome,
    hostname: overrides.hostname ?? osHostname(),
    pid: overrides.pid ?? process.pid,
    isPidAlive: overrides.isPidAlive ?? isPidAlive,
    uuid: overrides.uuid ?? randomUUID,
  };
}
