/**
 * One-at-a-time execution for the merge queue: lanes finish in any order,
 * but merges into the integration branch (and the gate on each merged tree)
 * run strictly one after another, in the order they were asked for. A task's
 * failure is its caller's; the next task runs whatever the outcome.
 */
export type Serial = <T>(task: () => Promise<T>) => Promise<T>;

export function createSerial(): Serial {
  // The one-priority case of the queue below: one implementation of "one at a time, in order".
  return createPrioritySerial().routine;
}

/**
 * One queue, two priorities: tasks still run one at a time, but a waiting `urgent` task goes before every
 * waiting `routine` one (each kind keeps its own order). The worktree queue uses it so a lane's next
 * worktree is not made to wait behind the removal of the worktrees that landed before it.
 */
export function createPrioritySerial(): { urgent: Serial; routine: Serial } {
  const waiting: [Array<() => void>, Array<() => void>] = [[], []];
  let busy = false;
  const pump = () => {
    if (busy) return;
    const next = waiting[0].shift() ?? waiting[1].shift();
    if (!next) return;
    busy = true;
    next();
  };
  const queue =
    (level: 0 | 1): Serial =>
    (task) =>
      new Promise((resolve, reject) => {
        waiting[level].push(() => {
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => {
              busy = false;
              pump();
            });
        });
        pump();
      });
  return { urgent: queue(0), routine: queue(1) };
}
