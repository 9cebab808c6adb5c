/**
 * What happens when a run is interrupted: SIGINT/SIGTERM/SIGHUP abort the run
 * so it unwinds by itself (the agent's spawn sees the abort and stops its
 * process group), and an uncaught error writes what it can and exits 1. A hard
 * deadline, armed before anything is awaited, exits even if unwinding hangs
 * (trap 10); a second signal exits at once. Only groups this process spawned
 * are ever signalled (trap 21). The process and `exit` are parameters so tests
 * drive it with an EventEmitter.
 */
import type { ProcessGroups } from "../system/process-groups";

export type CrashSignal = "SIGINT" | "SIGTERM" | "SIGHUP";

export const SIGNAL_EXIT_CODES: Record<CrashSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const SIGNALS = Object.keys(SIGNAL_EXIT_CODES) as CrashSignal[];
export const HARD_DEADLINE_MS = 10_000;

export type Interruption =
  | { kind: "signal"; signal: CrashSignal; exitCode: number }
  | { kind: "fatal"; error: unknown; exitCode: 1 };

// biome-ignore lint/suspicious/noExplicitAny: mirrors node's listener signature so `process` fits.
type Listener = (...args: any[]) => void;

export interface ProcessLike {
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}

export interface DeadlineTimers {
  /** Starts a timer that must not keep the process alive on its own. */
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const unrefTimers: DeadlineTimers = {
  set(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface CrashHandlerOptions {
  target: ProcessLike;
  exit: (code: number) => void;
  processes: Pick<ProcessGroups, "killAll">;
  /** Called once, synchronously, on the first interruption: abort the run here. */
  onInterrupt: (interruption: Interruption) => void;
  /** An uncaught error: emit run:crashed, drain, release the lock. Raced against the deadline. */
  onFatal: (error: unknown) => Promise<void>;
  /** Where the handler says what it is doing; must not throw. */
  log: (message: string) => void;
  hardDeadlineMs?: number;
  timers?: DeadlineTimers;
}

export interface CrashHandler {
  /** The first interruption, if any: the runner reads it while unwinding. */
  interruption(): Interruption | undefined;
  /** Removes every listener and the deadline; the run is over. */
  dispose(): void;
}

export function installCrashHandler(options: CrashHandlerOptions): CrashHandler {
  const timers = options.timers ?? unrefTimers;
  const deadlineMs = options.hardDeadlineMs ?? HARD_DEADLINE_MS;
  let first: Interruption | undefined;
  let deadline: unknown;
  let exited = false;

  const exitNow = (code: number) => {
    if (exited) return;
    exited = true;
    options.processes.killAll();
    options.exit(code);
  };
  const armDeadline = (code: number) => {
    deadline = timers.set(() => {
      options.log(`could not shut down within ${deadlineMs / 1000}s; exiting now`);
      exitNow(code);
    }, deadlineMs);
  };

  const onSignal = (signal: CrashSignal) => {
    if (first) {
      options.log(`${signal} again: stopping now`);
      exitNow(first.exitCode);
      return;
    }
    first = { kind: "signal", signal, exitCode: SIGNAL_EXIT_CODES[signal] };
    armDeadline(first.exitCode);
    options.log(`${signal} received: stopping the run (press Ctrl-C again to stop at once)`);
    options.onInterrupt(first);
  };

  const onError = (error: unknown) => {
    if (first?.kind === "fatal") return;
    if (first) {
      // Already unwinding from a signal: a second failure must not restart the shutdown.
      options.log(`error while stopping: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    first = { kind: "fatal", error, exitCode: 1 };
    armDeadline(1);
    options.onInterrupt(first);
    options.onFatal(error).then(
      () => exitNow(1),
      (failure: unknown) => {
        options.log(`could not record the crash: ${failure instanceof Error ? failure.message : String(failure)}`);
        exitNow(1);
      },
    );
  };

  const listeners = new Map<string, Listener>();
  for (const signal of SIGNALS) listeners.set(signal, () => onSignal(signal));
  listeners.set("uncaughtException", onError);
  listeners.set("unhandledRejection", onError);
  for (const [event, listener] of listeners) options.target.on(event, listener);

  return {
    interruption: () => first,
    dispose() {
      for (const [event, listener] of listeners) options.target.off(event, listener);
      if (deadline !== undefined) timers.clear(deadline);
      deadline = undefined;
    },
  };
}
