/**
 * What `nax status` says about control commands: those in the feature's
 * command file that no run has acknowledged yet, read through the same
 * schemas the writer and the run use.
 */
import type { Fs } from "../system/fs";
import { type ControlCommand, controlPaths, describeCommand } from "./command";
import { pendingCommands, readApplied, readCommands } from "./command-file";

export async function readPendingCommands(fs: Fs, runsDir: string): Promise<ControlCommand[]> {
  const paths = controlPaths(runsDir);
  const [{ commands }, applied] = await Promise.all([readCommands(fs, paths), readApplied(fs, paths)]);
  return pendingCommands(commands, applied);
}

export function describePending(pending: readonly ControlCommand[]): string[] {
  if (pending.length === 0) return [];
  return [
    `Pending commands (${pending.length}):`,
    ...pending.map((c) => `  ${c.id}  ${describeCommand(c)}  written ${c.at}`),
  ];
}
