/**
 * Lines typed in the run's terminal, for the `cli` interaction channel. The
 * reader is opened on the first listener and closed with the last, so a run
 * that asks nothing never touches stdin (and never keeps the process alive).
 */
import { createInterface, type Interface } from "node:readline";

/** Lines typed in the run's terminal. */
export interface TerminalInput {
  readonly isTTY: boolean;
  /** Calls `listener` for every line typed; returns the detach. */
  onLine(listener: (line: string) => void): () => void;
}

export function createTerminalInput(stdin: NodeJS.ReadStream): TerminalInput {
  const listeners = new Set<(line: string) => void>();
  let reader: Interface | undefined;
  return {
    isTTY: Boolean(stdin.isTTY),
    onLine(listener) {
      listeners.add(listener);
      if (!reader) {
        reader = createInterface({ input: stdin, terminal: false });
        reader.on("line", (line) => {
          for (const l of listeners) l(line);
        });
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          reader?.close();
          reader = undefined;
        }
      };
    },
  };
}
