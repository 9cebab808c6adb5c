import { describe, expect, test } from "bun:test";
import { createPrioritySerial, createSerial } from "../../../src/isolation/serial";

/** A task that records its start and end, and finishes when told. */
function gatedTask(log: string[], name: string) {
  const gate = Promise.withResolvers<void>();
  const task = async () => {
    log.push(`start ${name}`);
    await gate.promise;
    log.push(`end ${name}`);
    return name;
  };
  return { task, open: () => gate.resolve() };
}

describe("createSerial", () => {
  test("runs tasks one after another in the order asked, a failure not stopping the next", async () => {
    const serial = createSerial();
    const log: string[] = [];
    const a = gatedTask(log, "a");
    const first = serial(a.task);
    const failing = serial(async () => {
      log.push("b");
      throw new Error("b failed");
    });
    const third = serial(async () => log.push("c"));
    a.open();
    expect(await first).toBe("a");
    await expect(failing).rejects.toThrow("b failed");
    await third;
    expect(log).toEqual(["start a", "end a", "b", "c"]);
  });
});

// The worktree queue's order (trap 43, docs/traps.md): adds before waiting removals, one git change at a time.
describe("createPrioritySerial", () => {
  test("an urgent task waiting goes before every routine one waiting, never beside the running one", async () => {
    const { urgent, routine } = createPrioritySerial();
    const log: string[] = [];
    const running = gatedTask(log, "remove-1");
    const done = [
      routine(running.task),
      routine(async () => log.push("remove-2")),
      routine(async () => log.push("remove-3")),
      urgent(async () => log.push("add-1")),
      urgent(async () => log.push("add-2")),
    ];
    // The running routine task is never interrupted: nothing else starts until it ends.
    await Bun.sleep(5);
    expect(log).toEqual(["start remove-1"]);
    running.open();
    await Promise.all(done);
    expect(log).toEqual(["start remove-1", "end remove-1", "add-1", "add-2", "remove-2", "remove-3"]);
  });

  test("a task that throws, even before its first await, is its caller's rejection and the queue goes on", async () => {
    const { urgent, routine } = createPrioritySerial();
    const thrown = urgent(() => {
      throw new Error("refused");
    });
    await expect(thrown).rejects.toThrow("refused");
    expect(await routine(async () => "after")).toBe("after");
  });
});
