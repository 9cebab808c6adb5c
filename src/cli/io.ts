/** What a command gets to talk to the user and the system. Commands return an exit code; only main.ts sets it. */
import type { ProcessLike } from "../execution/crash-handler";
import type { Redactor } from "../system/secrets";
import type { Sys } from "../system/sys";
import type { TerminalInput } from "../system/terminal-input";

export interface CliIo {
  sys: Sys;
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** Raw stdout, no newline added: the live progress line rewrites itself with `\r`. Optional; `out` otherwise. */
  write?(text: string): void;
  /**
   * Where a run hears signals and uncaught errors, and the exit its crash handler may force. The real
   * process in production; absent when tests drive the CLI in-process, so a test run can never exit the test runner.
   */
  process?: { target: ProcessLike; exit(code: number): void };
  /** True once stdout's reader went away (`| head`): a follower stops, everything else carries on. Absent in tests. */
  outClosed?(): boolean;
  /** The terminal's width (columns) now, when stdout is one. */
  columns?(): number | undefined;
  /** All of stdin as text (`nax worker -`). Absent in tests that drive the CLI in-process. */
  readStdin?(): Promise<string>;
  /** True when stdout is a terminal: live progress line and colour. */
  isTTY: boolean;
  /** Lines typed on stdin (the run's `cli` question channel); absent in tests driving the CLI in-process. */
  stdin?: TerminalInput;
}

/**
 * The same io with every printed line passed through the redactor: whatever a command prints (an error quoting a
 * file, a status line) shows no secret value of nax's environment (trap 30, docs/traps.md).
 */
export function redactIo(io: CliIo, redactor: Pick<Redactor, "text" | "size">): CliIo {
  if (redactor.size === 0) return io;
  const { write } = io;
  return {
    ...io,
    out: (text) => io.out(redactor.text(text)),
    err: (text) => io.err(redactor.text(text)),
    ...(write === undefined ? {} : { write: (text: string) => write(redactor.text(text)) }),
  };
}
