/** What a command gets to talk to the user and the system. Commands return an exit code; only main.ts sets it. */
import type { Sys } from "../system/sys";

export interface CliIo {
  sys: Sys;
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal: live progress line and colour. */
  isTTY: boolean;
}
