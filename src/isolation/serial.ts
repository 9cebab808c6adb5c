/**
 * One-at-a-time execution for the merge queue: lanes finish in any order,
 * but merges into the integration branch (and the gate on each merged tree)
 * run strictly one after another, in the order they were asked for.
 */
export type Serial = <T>(task: () => Promise<T>) => Promise<T>;

export function createSerial(): Serial {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    // The next task waits for this one to settle, whatever its outcome; the caller sees the rejection.
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
}
