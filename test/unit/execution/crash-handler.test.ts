import { describe, expect, test } from "bun:test";
import { EventEmitter } from "node:events";
import { type DeadlineTimers, type Interruption, installCrashHandler } from "../../../src/execution/crash-handler";

function fakeTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: DeadlineTimers = {
    set(fn, ms) {
      pending.set(++next, { fn, ms });
      return next;
    },
    clear: (handle) => void pending.delete(handle as number),
  };
  return {
    timers,
    pending,
    fireAll() {
      for (const [id, timer] of [...pending]) {
        pending.delete(id);
        timer.fn();
      }
    },
  };
}

function setup(onFatal: (error: unknown) => Promise<void> = async () => undefined) {
  const target = new EventEmitter();
  const exits: number[] = [];
  const signalled: string[] = [];
  const interruptions: Interruption[] = [];
  const logs: string[] = [];
  const clock = fakeTimers();
  const handler = installCrashHandler({
    target,
    exit: (code) => void exits.push(code),
    processes: { killAll: () => signalled.push("SIGKILL") },
    onInterrupt: (i) => void interruptions.push(i),
    onFatal,
    log: (m) => void logs.push(m),
    timers: clock.timers,
  });
  return { target, exits, signalled, interruptions, logs, clock, handler };
}

describe("crash handler", () => {
  test("a first SIGINT aborts the run and arms a 10 s deadline without exiting", () => {
    const s = setup();
    s.target.emit("SIGINT");
    expect(s.interruptions).toEqual([{ kind: "signal", signal: "SIGINT", exitCode: 130 }]);
    expect(s.handler.interruption()).toEqual({ kind: "signal", signal: "SIGINT", exitCode: 130 });
    expect(s.exits).toEqual([]);
    expect([...s.clock.pending.values()].map((t) => t.ms)).toEqual([10_000]);
    s.handler.dispose();
  });

  test("SIGTERM and SIGHUP map to exit codes 143 and 129", () => {
    const term = setup();
    term.target.emit("SIGTERM");
    expect(term.handler.interruption()?.exitCode).toBe(143);
    term.handler.dispose();
    const hup = setup();
    hup.target.emit("SIGHUP");
    expect(hup.handler.interruption()?.exitCode).toBe(129);
    hup.handler.dispose();
  });

  test("a second signal kills our process groups and exits at once with the first signal's code (trap 10)", () => {
    const s = setup();
    s.target.emit("SIGTERM");
    s.target.emit("SIGINT");
    expect(s.signalled).toEqual(["SIGKILL"]);
    expect(s.exits).toEqual([143]);
    expect(s.interruptions).toHaveLength(1);
    s.handler.dispose();
  });

  test("the hard deadline, armed before anything is awaited, exits when unwinding hangs (trap 10)", () => {
    const s = setup();
    s.target.emit("SIGINT");
    s.clock.fireAll();
    expect(s.exits).toEqual([130]);
    expect(s.signalled).toEqual(["SIGKILL"]);
    expect(s.logs.some((l) => l.includes("within 10s"))).toBe(true);
  });

  test("disposing removes every listener and clears the deadline", () => {
    const s = setup();
    s.target.emit("SIGINT");
    s.handler.dispose();
    expect(s.clock.pending.size).toBe(0);
    for (const event of ["SIGINT", "SIGTERM", "SIGHUP", "uncaughtException", "unhandledRejection"]) {
      expect(s.target.listenerCount(event)).toBe(0);
    }
  });

  test("an uncaught exception records the crash, waits for it to be written, then exits 1", async () => {
    let finishWrite: () => void = () => undefined;
    const written = new Promise<void>((resolve) => {
      finishWrite = resolve;
    });
    const s = setup(() => written);
    const error = new Error("boom");
    s.target.emit("uncaughtException", error);
    expect(s.interruptions).toEqual([{ kind: "fatal", error, exitCode: 1 }]);
    expect(s.clock.pending.size).toBe(1);
    expect(s.exits).toEqual([]);
    finishWrite();
    await written;
    await Promise.resolve();
    expect(s.exits).toEqual([1]);
    s.handler.dispose();
  });

  test("an unhandled rejection whose crash write hangs is ended by the deadline", () => {
    const s = setup(() => new Promise<void>(() => undefined));
    s.target.emit("unhandledRejection", new Error("late rejection"));
    expect(s.exits).toEqual([]);
    s.clock.fireAll();
    expect(s.exits).toEqual([1]);
  });

  test("a failing crash write is logged and still exits 1", async () => {
    const s = setup(async () => {
      throw new Error("disk full");
    });
    s.target.emit("uncaughtException", new Error("boom"));
    for (let i = 0; i < 5 && s.exits.length === 0; i++) await Promise.resolve();
    expect(s.exits).toEqual([1]);
    expect(s.logs.some((l) => l.includes("disk full"))).toBe(true);
    s.handler.dispose();
  });
});
