/**
 * `bin/nax.ts` as a real child process, for the fault tests: started with the
 * project's env (fake claude, NAX_HOME in a temp dir), its stdout and stderr
 * read as they arrive (never after the exit, trap 1), so a test can wait for a
 * line, signal the process it started, and time its exit. Tests only ever
 * signal this child (`proc.kill`), never a pid read from a file.
 */
import { resolve } from "node:path";
import type { TestProject } from "./project";

export const NAX_BIN = resolve(import.meta.dir, "../../bin/nax.ts");

export interface NaxExit {
  code: number;
  out: string;
  err: string;
  /** When the process exited (Date.now()). */
  at: number;
}

export interface NaxProcess {
  pid: number;
  out(): string;
  err(): string;
  /** Sends a signal to this child only. */
  kill(signal: NodeJS.Signals): void;
  exited: Promise<NaxExit>;
}

async function collect(stream: ReadableStream<Uint8Array>, into: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) into(decoder.decode(chunk, { stream: true }));
  into(decoder.decode());
}

export function startNax(
  project: TestProject,
  args: string[],
  env: Record<string, string> = {},
  cwd = project.dir,
): NaxProcess {
  const proc = Bun.spawn([process.execPath, NAX_BIN, ...args], {
    cwd,
    env: { ...project.env, ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  let err = "";
  const streams = Promise.all([
    collect(proc.stdout, (text) => {
      out += text;
    }),
    collect(proc.stderr, (text) => {
      err += text;
    }),
  ]);
  const exited = Promise.all([proc.exited, streams]).then(([code]) => ({ code, out, err, at: Date.now() }));
  return {
    pid: proc.pid,
    out: () => out,
    err: () => err,
    kill: (signal) => proc.kill(signal),
    exited,
  };
}

/** Runs nax to its end. */
export function runNax(project: TestProject, args: string[], env: Record<string, string> = {}): Promise<NaxExit> {
  return startNax(project, args, env).exited;
}

export { until } from "./until";
