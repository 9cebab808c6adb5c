/**
 * A task asked for often but worth running once things settle: the
 * checkout's fast-forward after a landing, the removal of landed worktrees. `soon()` schedules one run after
 * `settleMs`; every ask until it starts joins that run (which takes the
 * state as it is then), so stories that land faster than the checkout can
 * follow cost one fast-forward, not one each. With real agent sessions
 * (minutes per story) every landing still gets its own, a second later.
 * `flush()` starts a scheduled run at once (the run's end): no timer ever
 * outlives the run (trap 9, docs/traps.md).
 */
import { cancellableSleep } from "../system/clock";

export interface SettledTask {
  /** Schedules the task (or joins the scheduled run); resolves when that run has settled. */
  soon(): Promise<void>;
  /** Starts a scheduled run now instead of after its delay. */
  flush(): void;
}

export function createSettledTask(settleMs: number, run: () => Promise<void>): SettledTask {
  let scheduled: { done: Promise<void>; wake: AbortController } | undefined;
  return {
    soon() {
      if (scheduled) return scheduled.done;
      const wake = new AbortController();
      const done = cancellableSleep(settleMs, wake.signal).then(() => {
        // From here a new ask schedules the next run: this one may already have read the state.
        scheduled = undefined;
        return run();
      });
      scheduled = { done, wake };
      return done;
    },
    flush() {
      scheduled?.wake.abort();
    },
  };
}
