/** A spawner that returns scripted results and records what it was asked to run. */
import type { Spawner, SpawnOptions, SpawnResult } from "../../../src/system/spawn";

export interface FakeSpawner {
  spawn: Spawner;
  calls: SpawnOptions[];
}

export function exited(exitCode: number, stdout: string, stderr = "", signal: string | null = null): SpawnResult {
  return {
    kind: "exited",
    exitCode,
    signal,
    stdout,
    stderr,
    stdoutTruncated: false,
    stderrTruncated: false,
    durationMs: 5,
    pid: 4242,
  };
}

export function createFakeSpawner(results: SpawnResult[] | ((options: SpawnOptions) => SpawnResult)): FakeSpawner {
  const calls: SpawnOptions[] = [];
  const queue = Array.isArray(results) ? [...results] : undefined;
  const spawn: Spawner = async (options) => {
    calls.push(options);
    if (!queue) return (results as (options: SpawnOptions) => SpawnResult)(options);
    const next = queue.shift();
    if (!next) throw new Error(`unexpected spawn: ${options.cmd.join(" ")}`);
    return next;
  };
  return { spawn, calls };
}
