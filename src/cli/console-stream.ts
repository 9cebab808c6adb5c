/**
 * stdout and stderr as observers that can go away. When the reader of a pipe
 * closes it (`nax run | head -1`), the next write fails with EPIPE as an
 * asynchronous stream error; unheard, that error is an uncaught exception that
 * would crash the run and leak its lock (trap 31, docs/traps.md). Here the first
 * error on a stream marks it closed and every later write is dropped: the run
 * goes on, a reader finishes its work and exits 0, as git does.
 */

/** The part of a Node writable stream this needs: `process.stdout` fits. */
export interface WritableLike {
  write(text: string): unknown;
  on(event: "error", listener: (error: unknown) => void): unknown;
}

export interface ConsoleStream {
  /** Writes the text, or drops it once the stream has closed. Never throws. */
  write(text: string): void;
  /** True once the stream failed (its reader went away). */
  closed(): boolean;
}

export function guardStream(stream: WritableLike): ConsoleStream {
  let closed = false;
  // Any write error means nobody reads this stream any more; there is no one left to tell.
  stream.on("error", () => {
    closed = true;
  });
  return {
    write(text) {
      if (closed) return;
      try {
        stream.write(text);
      } catch {
        // A synchronous failure (a destroyed stream) means the same as the asynchronous EPIPE.
        closed = true;
      }
    },
    closed: () => closed,
  };
}
