import { describe, expect, test } from "bun:test";
import { createSettledTask } from "../../../src/isolation/settled-task";

describe("a task run once things settle (the checkout's fast-forward)", () => {
  test("asks made before it starts join one run; an ask after it started schedules the next", async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const task = createSettledTask(20, async () => {
      runs++;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const first = task.soon();
    const second = task.soon();
    expect(second).toBe(first);
    await Bun.sleep(40);
    expect(runs).toBe(1);
    // Running now: it may already have read the state, so a new ask is a new run.
    const third = task.soon();
    expect(third).not.toBe(first);
    release();
    await first;
    await Bun.sleep(40);
    expect(runs).toBe(2);
    release();
    await third;
  });

  test("flush starts a scheduled run at once, and with nothing scheduled does nothing", async () => {
    let runs = 0;
    const task = createSettledTask(60_000, async () => {
      runs++;
    });
    task.flush();
    expect(runs).toBe(0);
    const done = task.soon();
    task.flush();
    await done;
    expect(runs).toBe(1);
  });

  test("a failing run rejects its askers and the next ask runs again", async () => {
    let runs = 0;
    const task = createSettledTask(1, async () => {
      runs++;
      if (runs === 1) throw new Error("checkout busy");
    });
    await expect(task.soon()).rejects.toThrow("checkout busy");
    await task.soon();
    expect(runs).toBe(2);
  });
});
