/**
 * The CLI entry and the only exit-code boundary: parse argv, run the command,
 * turn a NaxError into its message and exit code. Nothing else sets the exit
 * code; nothing calls process.exit except the crash handler's hard deadline.
 */
import { CommanderError } from "commander";
import { errorMessage, exitCodeFor, isNaxError } from "../errors";
import { createRedactor } from "../system/secrets";
import { createSys } from "../system/sys";
import { createTerminalInput } from "../system/terminal-input";
import { guardStream } from "./console-stream";
import { type CliIo, redactIo } from "./io";
import { buildProgram } from "./program";

export function createProcessIo(): CliIo {
  // A closed pipe silences the console and nothing else (trap 31, docs/traps.md).
  const stdout = guardStream(process.stdout);
  const stderr = guardStream(process.stderr);
  return {
    sys: createSys(),
    cwd: process.cwd(),
    out: (text) => stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    write: (text) => stdout.write(text),
    outClosed: () => stdout.closed(),
    columns: () => process.stdout.columns || undefined,
    process: { target: process, exit: (code) => process.exit(code) },
    readStdin: () => Bun.stdin.text(),
    isTTY: Boolean(process.stdout.isTTY),
    stdin: createTerminalInput(process.stdin),
  };
}

export async function runCli(argv: string[], rawIo: CliIo): Promise<number> {
  // The environment's own secret names only: a run adds the configured ones once it has read the config.
  const io = redactIo(rawIo, createRedactor(rawIo.sys.env));
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isNaxError(error)) {
      io.err(`nax: ${error.message}`);
      return exitCodeFor(error);
    }
    io.err(`nax: internal error: ${errorMessage(error)}`);
    if (error instanceof Error && error.stack) io.err(error.stack);
    return 1;
  }
}

export async function main(argv: string[]): Promise<void> {
  process.exitCode = await runCli(argv, createProcessIo());
}
