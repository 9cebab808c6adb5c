/**
 * The one spawn helper. Every child nax starts (agent, tests, lint, git,
 * hooks) goes through here: its own process group, stdin written then closed
 * (or ignored), stdout and stderr drained concurrently with the exit (trap 1),
 * in-memory output capped (trap 26), clearable timers (trap 9), stop by
 * SIGINT → grace → SIGKILL of the group and of every descendant, and always a
 * typed result, never a throw for an expected outcome.
 */
import { existsSync } from "node:fs";
import { withParentDeathSignal } from "./die-with-parent";
import { killIfSame, listDescendants, type ProcessGroups, type ProcessIdentity } from "./process-groups";

export interface SpawnOptions {
  cmd: string[];
  cwd: string;
  /** The child's whole environment. */
  env: Record<string, string | undefined>;
  /** Written to stdin, then stdin is closed. Without it stdin is ignored. */
  stdin?: string;
  /** Wall-clock limit. */
  timeoutMs?: number;
  /** Limit on silence: no stdout or stderr byte for this long. */
  stallTimeoutMs?: number;
  signal?: AbortSignal;
  /** Bytes of each stream kept in memory (the tail). Default 1 MiB. */
  maxBufferBytes?: number;
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** First signal when stopping the child. Default SIGINT (the Claude CLI cleans its tools up on it). */
  stopSignal?: NodeJS.Signals;
  /** Time between the stop signal and SIGKILL. Default 2000 ms. */
  killGraceMs?: number;
  /**
   * Kill the child if nax dies without cleaning up (Linux parent-death signal). For the agent, which spends
   * money while it runs; off by default because the wrapper costs an exec per child on the hot path.
   */
  dieWithParent?: boolean;
}

interface Captured {
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
  pid: number;
}

export type SpawnResult =
  | ({ kind: "exited"; exitCode: number; signal: string | null } & Captured)
  | ({ kind: "timeout"; reason: "wall" | "stall"; exitCode: number | null } & Captured)
  | ({ kind: "aborted"; exitCode: number | null } & Captured)
  | { kind: "not-found"; command: string; message: string };

export type Spawner = (options: SpawnOptions) => Promise<SpawnResult>;

const DEFAULT_MAX_BUFFER = 1024 * 1024;
/** After the child exits, how long inherited pipes may stay open (a leftover grandchild) before the group is killed. */
const POST_EXIT_DRAIN_MS = 2000;

/** Keeps the last `limit` characters of a stream. */
export class TailBuffer {
  private chunks: string[] = [];
  private size = 0;
  truncated = false;
  constructor(readonly limit: number) {}
  push(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > this.limit) {
      const first = this.chunks[0] as string;
      const excess = this.size - this.limit;
      this.truncated = true;
      if (first.length <= excess) {
        // Drop whole chunks only while that keeps at least `limit` characters.
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.slice(excess);
        this.size -= excess;
      }
    }
  }
  text(): string {
    return this.chunks.join("");
  }
}

/**
 * Reads a stream to its end into the tail buffer, delivering lines. Resolves
 * with the first error (a throwing line callback, a read failure) instead of
 * rejecting: draining must go on whatever a callback does, or the child blocks
 * on a full pipe, and the caller rethrows it once the child is gone.
 */
async function drain(
  stream: ReadableStream<Uint8Array>,
  buffer: TailBuffer,
  onActivity: () => void,
  onLine: ((line: string) => void) | undefined,
  readers: Set<{ cancel(): Promise<void> }>,
): Promise<unknown> {
  const reader = stream.getReader();
  readers.add(reader);
  const decoder = new TextDecoder();
  let pending = "";
  let failure: unknown;
  const deliver = (line: string) => {
    if (!onLine || failure !== undefined) return;
    try {
      onLine(line);
    } catch (error) {
      failure = error;
    }
  };
  const feed = (text: string) => {
    if (!onLine) return;
    pending += text;
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      deliver(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
    // A single line longer than the cap is dropped from line delivery; its tail stays in the buffer.
    if (pending.length > buffer.limit) pending = "";
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onActivity();
      const text = decoder.decode(value, { stream: true });
      buffer.push(text);
      feed(text);
    }
  } catch (error) {
    failure ??= error;
  } finally {
    readers.delete(reader);
    reader.releaseLock();
  }
  const rest = decoder.decode();
  if (rest) {
    buffer.push(rest);
    feed(rest);
  }
  if (pending.length > 0) deliver(pending);
  return failure;
}

/** Resolves after `ms` unless cleared; never rejects. */
function timer(ms: number): { promise: Promise<void>; clear(): void } {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<void>((resolve) => {
    handle = setTimeout(resolve, ms);
  });
  return { promise, clear: () => clearTimeout(handle) };
}

/**
 * Writes the input and closes stdin. Resolves with an unexpected write error
 * instead of rejecting, so a write still pending when we stop waiting for it
 * can never surface as an unhandled rejection (trap 3).
 */
async function writeStdin(sink: unknown, input: string | undefined): Promise<Error | undefined> {
  if (input === undefined || !sink || typeof sink === "number") return undefined;
  const fileSink = sink as { write(chunk: string): number | Promise<number>; end(): number | Promise<number> };
  try {
    // Bun returns a promise when the pipe is full; its rejection must be awaited here.
    await fileSink.write(input);
    await fileSink.end();
    return undefined;
  } catch (error) {
    // EPIPE: the child exited without reading its input; its exit code tells the story.
    if ((error as NodeJS.ErrnoException).code === "EPIPE") return undefined;
    return error instanceof Error ? error : new Error(String(error));
  }
}

type StopReason = "wall" | "stall" | "aborted";

interface Stopper {
  /** Restarts the stall timer: called on every byte of output. */
  armStall(): void;
  /** SIGKILL to our group and to the tree collected when stopping. */
  hardKill(): void;
  reason(): StopReason | undefined;
  /** Clears every timer and listener; finishes off the tree if we stopped the child. */
  dispose(): void;
}

/** The stop machinery of one child: wall and stall timers, abort, stop signal → grace → SIGKILL. */
function createStopper(pgid: number, groups: ProcessGroups, options: SpawnOptions): Stopper {
  let stopReason: StopReason | undefined;
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  let wallTimer: ReturnType<typeof setTimeout> | undefined;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  let descendants: ProcessIdentity[] = [];

  const hardKill = () => {
    groups.signal(pgid, "SIGKILL");
    for (const identity of descendants) killIfSame(identity);
  };
  const stop = (reason: StopReason) => {
    if (stopReason) return;
    stopReason = reason;
    // Collect the tree before signalling: children in their own groups are re-parented once the leader dies.
    descendants = listDescendants(pgid);
    groups.signal(pgid, options.stopSignal ?? "SIGINT");
    killTimer = setTimeout(hardKill, options.killGraceMs ?? 2000);
  };
  const armStall = () => {
    if (!options.stallTimeoutMs || stopReason) return;
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => stop("stall"), options.stallTimeoutMs);
  };
  const onAbort = () => stop("aborted");

  if (options.timeoutMs) wallTimer = setTimeout(() => stop("wall"), options.timeoutMs);
  armStall();
  if (options.signal?.aborted) stop("aborted");
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  return {
    armStall,
    hardKill,
    reason: () => stopReason,
    dispose() {
      clearTimeout(stallTimer);
      clearTimeout(wallTimer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      if (stopReason) hardKill();
    },
  };
}

/** Starts the child detached (its pid is its pgid), or says the program is missing. */
function startChild(options: SpawnOptions): ReturnType<typeof Bun.spawn> | Extract<SpawnResult, { kind: "not-found" }> {
  let cmd = options.cmd;
  if (options.dieWithParent === true && existsSync(options.cwd)) {
    const wrapped = withParentDeathSignal(options.cmd, options.cwd, options.env.PATH);
    if ("notFound" in wrapped) return { kind: "not-found", command: options.cmd[0] ?? "", message: wrapped.notFound };
    cmd = wrapped.cmd;
  }
  try {
    return Bun.spawn(cmd, {
      cwd: options.cwd,
      env: options.env,
      stdin: options.stdin === undefined ? "ignore" : "pipe",
      stdout: "pipe",
      stderr: "pipe",
      detached: true,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // posix_spawn reports a missing cwd as ENOENT too: that is a caller's bug, not a missing program.
    if (code === "ENOENT" && !existsSync(options.cwd)) {
      throw new Error(`spawn: working directory does not exist: ${options.cwd}`, { cause: error });
    }
    if (code === "ENOENT" || code === "EACCES") {
      return { kind: "not-found", command: options.cmd[0] ?? "", message: (error as Error).message };
    }
    throw error;
  }
}

export function createSpawner(groups: ProcessGroups): Spawner {
  return async function spawn(options) {
    const started = Date.now();
    const proc = startChild(options);
    if ("kind" in proc) return proc;
    const pgid = proc.pid;
    groups.add(pgid);
    const stopper = createStopper(pgid, groups, options);
    const stdout = new TailBuffer(options.maxBufferBytes ?? DEFAULT_MAX_BUFFER);
    const stderr = new TailBuffer(options.maxBufferBytes ?? DEFAULT_MAX_BUFFER);

    // Drain first, then feed stdin alongside: a child that writes a lot before reading its input
    // would otherwise block on a full stdout pipe while we block on its full stdin pipe.
    const readers = new Set<{ cancel(): Promise<void> }>();
    const streams = Promise.all([
      drain(proc.stdout as ReadableStream<Uint8Array>, stdout, stopper.armStall, options.onStdoutLine, readers),
      drain(proc.stderr as ReadableStream<Uint8Array>, stderr, stopper.armStall, options.onStderrLine, readers),
    ]);
    const fed = writeStdin(proc.stdin, options.stdin);
    let exitCode: number;
    let ioError: unknown;
    try {
      exitCode = await proc.exited;
      const grace = timer(POST_EXIT_DRAIN_MS);
      const drained = await Promise.race([
        Promise.all([streams, fed]).then(([[outError, errError], inError]) => {
          ioError = outError ?? errError ?? inError;
          return true;
        }),
        grace.promise.then(() => false),
      ]);
      grace.clear();
      if (!drained) {
        // A grandchild still holds our pipes open. Kill what we may (our group, and the tree we
        // collected when stopping), then stop reading: one in a group of its own must not hang us.
        groups.signal(pgid, "SIGKILL");
        if (stopper.reason()) stopper.hardKill();
        await Promise.all([...readers].map((reader) => reader.cancel()));
        await streams;
      }
    } finally {
      // Also on a throw: no timer may outlive the call (trap 9).
      stopper.dispose();
      groups.delete(pgid);
    }
    if (ioError !== undefined) throw ioError;

    const captured: Captured = {
      stdout: stdout.text(),
      stderr: stderr.text(),
      stdoutTruncated: stdout.truncated,
      stderrTruncated: stderr.truncated,
      durationMs: Date.now() - started,
      pid: pgid,
    };
    const stopReason = stopper.reason();
    if (stopReason === "aborted") return { kind: "aborted", exitCode, ...captured };
    if (stopReason) return { kind: "timeout", reason: stopReason, exitCode, ...captured };
    return { kind: "exited", exitCode, signal: proc.signalCode == null ? null : String(proc.signalCode), ...captured };
  };
}
