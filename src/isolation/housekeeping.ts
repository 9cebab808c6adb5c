/**
 * A run's work off the lanes' path: removing landed attempts' worktrees and
 * bringing the user's checkout up to the integration branch. Each is settled
 * a second (settled-task.ts), so that one run serves every landing
 * meanwhile: a lane starts its next story while they wait and run. A lane
 * with nothing left to start (`idle`) lets the removals waiting go at once;
 * the run's end (`drain`) starts whatever still waits and waits for all of
 * it. A failure is told, never lost: the run's end repeats the fast-forward,
 * and a worktree left behind is adopted by the next run.
 */
import type { Logger } from "../logger/logger";
import { createSettledTask } from "./settled-task";

/** How long the checkout's fast-forward waits after a landing for others to join it. */
const SYNC_SETTLE_MS = 1_000;
/**
 * How long a landed attempt's worktree waits to be removed, with any that land meanwhile: the removal
 * (three git processes, one of them a `status`) then runs while the next sessions work, instead of
 * beside the merges and worktree adds of the lanes that finished with it. A lane with nothing left to
 * start has no next worktree to add: the removals waiting then start at once, beside the last
 * landings, instead of one after another at the run's end.
 */
const REMOVAL_SETTLE_MS = 1_000;

export interface Housekeeping {
  /** Removes a landed story's worktree soon (`remove` does it), with any that land meanwhile. */
  removeSoon(storyId: string, remove: () => Promise<unknown>): void;
  /** The removal of the story's worktree still under way, if any: a retry of the story waits for it. */
  removal(storyId: string): Promise<void> | undefined;
  /** Brings the checkout up to the integration branch soon (`sync`, taking the tip as it is then). */
  syncSoon(): void;
  /** A lane has nothing to start: the removals waiting go now. */
  idle(): void;
  /** Starts whatever still waits and waits for all of it (the run's end). */
  drain(): Promise<void>;
}

export function createHousekeeping(deps: { logger: Logger; integration: string; sync: () => Promise<unknown> }) {
  const { logger } = deps;
  const pending = new Set<Promise<void>>();
  const track = (done: Promise<void>) => {
    pending.add(done);
    void done.then(() => pending.delete(done));
  };
  const removing = new Map<string, Promise<void>>();
  let landedToRemove: { storyId: string; remove: () => Promise<unknown> }[] = [];
  const removals = createSettledTask(REMOVAL_SETTLE_MS, async () => {
    // Taken before the first await: a worktree that lands from here on waits for the next round. All at
    // once: their `worktree remove`s still go one at a time (the worktree queue), the rest overlaps.
    const taken = landedToRemove;
    landedToRemove = [];
    const batch = taken.map(({ storyId, remove }) =>
      remove().catch((error: unknown) => {
        logger.warn(`removing ${storyId}'s worktree failed: ${(error as Error).message}`);
      }),
    );
    await Promise.all(batch);
  });
  /** One fast-forward for however many landings came meanwhile: it takes the tip as it is when it runs. */
  const checkoutSync = createSettledTask(SYNC_SETTLE_MS, async () => {
    await deps.sync();
  });
  const housekeeping: Housekeeping = {
    removeSoon(storyId, remove) {
      landedToRemove.push({ storyId, remove });
      const done = removals.soon();
      track(done);
      removing.set(storyId, done);
      void done.then(() => {
        if (removing.get(storyId) === done) removing.delete(storyId);
      });
    },
    removal: (storyId) => removing.get(storyId),
    syncSoon() {
      track(
        checkoutSync.soon().then(
          () => undefined,
          (error: unknown) =>
            logger.warn(`bringing the checkout up to ${deps.integration} failed: ${(error as Error).message}`),
        ),
      );
    },
    idle() {
      removals.flush();
    },
    async drain() {
      removals.flush();
      checkoutSync.flush();
      await Promise.all(pending);
    },
  };
  return housekeeping;
}
