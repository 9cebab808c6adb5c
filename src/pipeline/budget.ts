/**
 * The run's cost budget as the pipeline sees it: what has been spent (in
 * total and per story), the limit, and a way to add a session's reported
 * cost. The execution layer owns the real one; `createBudget` is a plain
 * in-memory version.
 */

export interface Budget {
  spent(): number;
  readonly limit: number;
  /** Adds a session's cost to the run, and to the story the session worked on; `estimated`: tokens × a price table. */
  add(usd: number, storyId?: string, estimated?: boolean): void;
  /** The part of `spent()` that was estimated from tokens (agents that report no cost). */
  estimated?(): number;
  /** What this run spent on one story: every attempt, repair and routing session. */
  spentOn(storyId: string): number;
}

export function createBudget(limit: number, alreadySpent = 0): Budget {
  let spent = alreadySpent;
  let estimated = 0;
  const byStory = new Map<string, number>();
  return {
    limit,
    spent: () => spent,
    add(usd, storyId, isEstimate) {
      // A negative or NaN cost would silently lower the total: only real, positive costs count.
      if (!Number.isFinite(usd) || usd <= 0) return;
      spent += usd;
      if (isEstimate) estimated += usd;
      if (storyId !== undefined) byStory.set(storyId, (byStory.get(storyId) ?? 0) + usd);
    },
    spentOn: (storyId) => byStory.get(storyId) ?? 0,
    estimated: () => estimated,
  };
}
