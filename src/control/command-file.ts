/**
 * Reading and writing the command file and the applied ledger. Commands are
 * appended one whole line per write (O_APPEND: concurrent writers never
 * interleave inside a line, and nothing already written is ever rewritten);
 * reading skips a torn last line (a writer still mid-write) and a line that is
 * not a command (named in `problems`), and keeps the first line of each id.
 */
import { NaxError } from "../errors";
import type { Fs } from "../system/fs";
import { formatZodIssues } from "../utils/zod-issues";
import {
  type AppliedEntry,
  AppliedLedgerSchema,
  type ControlCommand,
  ControlCommandSchema,
  type ControlPaths,
} from "./command";

export async function appendCommand(fs: Fs, paths: ControlPaths, command: ControlCommand): Promise<void> {
  await fs.appendText(paths.commands, `${JSON.stringify(ControlCommandSchema.parse(command))}\n`);
}

export interface ReadCommands {
  commands: ControlCommand[];
  problems: string[];
}

export async function readCommands(fs: Fs, paths: ControlPaths): Promise<ReadCommands> {
  const text = (await fs.readText(paths.commands)) ?? "";
  const complete = text.endsWith("\n") ? text : text.slice(0, text.lastIndexOf("\n") + 1);
  const seen = new Set<string>();
  const commands: ControlCommand[] = [];
  const problems: string[] = [];
  complete.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      problems.push(`${paths.commands}:${index + 1}: not JSON (${(error as Error).message}); the line is ignored`);
      return;
    }
    const parsed = ControlCommandSchema.safeParse(json);
    if (!parsed.success) {
      problems.push(`${paths.commands}:${index + 1}: ${formatZodIssues(parsed.error).join("; ")}; the line is ignored`);
      return;
    }
    if (seen.has(parsed.data.id)) return;
    seen.add(parsed.data.id);
    commands.push(parsed.data);
  });
  return { commands, problems };
}

export async function readApplied(fs: Fs, paths: ControlPaths): Promise<AppliedEntry[]> {
  const text = await fs.readText(paths.applied);
  if (text === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NaxError(
      "STATE_INVALID",
      `${paths.applied}: not valid JSON (${(error as Error).message}); it records which control commands were applied — restore it or delete it (every command in ${paths.commands} would then apply again)`,
      { path: paths.applied, cause: error },
    );
  }
  const parsed = AppliedLedgerSchema.safeParse(json);
  if (!parsed.success) {
    throw new NaxError(
      "STATE_INVALID",
      `${paths.applied}: ${formatZodIssues(parsed.error).join("; ")}; restore it or delete it`,
      { path: paths.applied },
    );
  }
  return parsed.data.applied;
}

export async function writeApplied(fs: Fs, paths: ControlPaths, applied: readonly AppliedEntry[]): Promise<void> {
  await fs.writeAtomic(paths.applied, `${JSON.stringify({ applied }, null, 2)}\n`);
}

/** Commands in the file whose id the ledger does not have, in the order they were written. */
export function pendingCommands(
  commands: readonly ControlCommand[],
  applied: readonly AppliedEntry[],
): ControlCommand[] {
  const done = new Set(applied.map((entry) => entry.id));
  return commands.filter((command) => !done.has(command.id));
}
