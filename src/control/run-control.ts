/**
 * The run side of control commands. A poller reads the feature's command file
 * while the run lives; each command not in the applied ledger is told once
 * (`command:received`) and applied once, then recorded in the ledger (atomic)
 * and acknowledged (`command:applied`). `abort` and `pause --now` act at once:
 * abort stops the run through its AbortController, exactly the path SIGINT
 * takes; pause --now aborts only the running attempts' signals, whose stories
 * go back to pending. `pause` and `resume` flip the run-wide gate every new
 * agent session waits on (the same place as the rate-limit gate); `skip`
 * waits for the story loop's next safe point (between attempts), and for a
 * story a lane is running, until that attempt ends. The effect comes before
 * the ledger entry (for abort, the entry comes first): a crash between them
 * re-applies an idempotent effect after resume, never loses the command.
 */
import { errorMessage } from "../errors";
import type { EventBus } from "../events/bus";
import type { Logger } from "../logger/logger";
import { countStories } from "../prd/counts";
import type { PrdStore } from "../prd/store";
import type { Clock } from "../system/clock";
import type { Fs } from "../system/fs";
import type { AppliedEntry, ControlCommand, ControlPaths } from "./command";
import { describeCommand } from "./command";
import { pendingCommands, readApplied, readCommands, writeApplied } from "./command-file";

/** How often the run looks at its command file: a person's command is felt within this. */
export const CONTROL_POLL_MS = 250;

/** The reason the run's AbortController carries when `nax abort` stopped it. */
export class ControlAbort extends Error {
  constructor(readonly commandId: string) {
    super(`stopped by \`nax abort\` (command ${commandId})`);
    this.name = "ControlAbort";
  }
}

export interface RunControlDeps {
  fs: Fs;
  paths: ControlPaths;
  runId: string;
  bus: Pick<EventBus, "emit">;
  clock: Clock;
  logger: Logger;
  store: PrdStore;
  /** Stops the run like SIGINT does (the Runner's AbortController). */
  abortRun(reason: ControlAbort): void;
  pollMs?: number;
}

export interface RunControl {
  /** Starts the poller; it ends when `signal` aborts or `finish` is called. */
  start(signal: AbortSignal): void;
  /** The story loop's safe point: applies pending skips of stories no lane holds, then waits while paused. */
  safePoint(busy: ReadonlySet<string>, signal: AbortSignal): Promise<void>;
  /** Every new agent session awaits this: resolves at once unless the run is paused. */
  open(signal: AbortSignal): Promise<void>;
  /** The signal an attempt runs under: the run's, plus `pause --now`. */
  attemptSignal(runSignal: AbortSignal): AbortSignal;
  paused(): boolean;
  /** The run ended on its own: the poller stops and commands it never applied are acknowledged as expired. */
  finish(): Promise<void>;
  /** The poller stops (any ending: pending commands stay pending for the next run). */
  stop(): void;
}

export function createRunControl(deps: RunControlDeps): RunControl {
  const pollMs = deps.pollMs ?? CONTROL_POLL_MS;
  let ledger: AppliedEntry[] | undefined;
  let pending: ControlCommand[] = [];
  const received = new Set<string>();
  const warned = new Set<string>();
  let pausedSince: number | undefined;
  let pauseNow = new AbortController();
  let change = Promise.withResolvers<void>();
  const stopPolling = new AbortController();
  let queue: Promise<unknown> = Promise.resolve();

  /** Every read-apply-record step runs one at a time: the poller and the loop never write the ledger together. */
  function serial<T>(step: () => Promise<T>): Promise<T> {
    const next = queue.then(step);
    queue = next.catch(() => undefined);
    return next;
  }
  function changed(): void {
    change.resolve();
    change = Promise.withResolvers<void>();
  }
  function waitForChange(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener("abort", done);
        resolve();
      };
      signal.addEventListener("abort", done, { once: true });
      change.promise.then(done);
    });
  }

  async function refresh(): Promise<void> {
    ledger ??= await readApplied(deps.fs, deps.paths);
    const read = await readCommands(deps.fs, deps.paths);
    for (const problem of read.problems) {
      if (warned.has(problem)) continue;
      warned.add(problem);
      deps.logger.warn(problem);
    }
    pending = pendingCommands(read.commands, ledger);
    for (const command of pending) {
      if (received.has(command.id)) continue;
      received.add(command.id);
      changed();
      deps.bus.emit("command:received", {
        id: command.id,
        kind: command.kind,
        ...(command.storyId === undefined ? {} : { storyId: command.storyId }),
        ...(command.now ? { now: true } : {}),
      });
    }
  }

  async function record(command: ControlCommand, outcome: AppliedEntry["outcome"], detail: string): Promise<void> {
    const entries = ledger ?? [];
    entries.push({ id: command.id, kind: command.kind, outcome, runId: deps.runId, at: deps.clock.iso() });
    ledger = entries;
    await writeApplied(deps.fs, deps.paths, entries);
    pending = pending.filter((c) => c.id !== command.id);
    deps.bus.emit("command:applied", {
      id: command.id,
      kind: command.kind,
      ...(command.storyId === undefined ? {} : { storyId: command.storyId }),
      outcome,
      detail,
    });
  }

  async function applyAtOnce(command: ControlCommand): Promise<void> {
    const what = describeCommand(command);
    if (command.kind === "abort") {
      await record(command, "applied", "the run stops now, as on Ctrl-C");
      deps.abortRun(new ControlAbort(command.id));
      return;
    }
    if (command.kind === "pause") {
      if (pausedSince !== undefined && !command.now) return record(command, "ignored", "the run is already paused");
      const wasPaused = pausedSince !== undefined;
      pausedSince ??= deps.clock.now();
      if (command.now) {
        pauseNow.abort(new Error(`paused by \`nax pause --now\` (command ${command.id})`));
        pauseNow = new AbortController();
      }
      changed();
      if (!wasPaused) {
        const reason = `${what} (command ${command.id}); \`nax resume\` goes on`;
        deps.bus.emit("run:paused", { reason, counts: countStories(deps.store.current()) });
      }
      const detail = command.now
        ? "running sessions were stopped; their stories go back to pending"
        : "running sessions finish, no new one starts";
      return record(command, "applied", detail);
    }
    if (command.kind === "resume") {
      if (pausedSince === undefined) return record(command, "ignored", "the run is not paused");
      const pausedMs = Math.max(0, deps.clock.now() - pausedSince);
      pausedSince = undefined;
      changed();
      deps.bus.emit("run:resumed", { reason: `nax resume (command ${command.id})`, pausedMs });
      return record(command, "applied", "new sessions may start again");
    }
  }

  async function applySkip(command: ControlCommand, busy: ReadonlySet<string>): Promise<void> {
    const id = command.storyId ?? "";
    const story = deps.store.current().userStories.find((s) => s.id === id);
    if (!story) return record(command, "ignored", `no story ${id} in this feature's prd.json`);
    if (busy.has(id)) return; // its attempt is running: applied once it ends
    if (story.status === "passed") return record(command, "ignored", `${id} has already passed`);
    if (story.status !== "skipped") await deps.store.updateStory(id, (s) => ({ ...s, status: "skipped" }));
    return record(command, "applied", `${id} skipped; it will not run`);
  }

  function poll(): Promise<void> {
    return serial(async () => {
      await refresh();
      for (const command of [...pending]) if (command.kind !== "skip") await applyAtOnce(command);
    });
  }

  return {
    start(signal) {
      const stop = AbortSignal.any([signal, stopPolling.signal]);
      void (async () => {
        while (!stop.aborted) {
          await poll().catch((error: unknown) =>
            deps.logger.warn(`could not read the control commands: ${errorMessage(error)}`),
          );
          await deps.clock.sleep(pollMs, stop);
        }
      })();
    },
    async safePoint(busy, signal) {
      for (;;) {
        await serial(async () => {
          await refresh();
          for (const command of [...pending]) {
            if (command.kind === "skip") await applySkip(command, busy);
            else await applyAtOnce(command);
          }
        });
        if (pausedSince === undefined || signal.aborted) return;
        await waitForChange(signal);
      }
    },
    async open(signal) {
      while (pausedSince !== undefined && !signal.aborted) await waitForChange(signal);
    },
    attemptSignal(runSignal) {
      return AbortSignal.any([runSignal, pauseNow.signal]);
    },
    paused: () => pausedSince !== undefined,
    stop: () => stopPolling.abort(),
    async finish() {
      stopPolling.abort();
      await serial(async () => {
        await refresh();
        for (const command of [...pending]) {
          await record(command, "expired", "the run ended before it could apply it");
        }
      });
    },
  };
}
