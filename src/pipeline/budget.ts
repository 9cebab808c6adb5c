/**
 * The run's cost budget as the pipeline sees it: what has been spent, the
 * limit, and a way to add a session's reported cost. The execution layer owns
 * the real one; `createBudget` is a plain in-memory version.
 */

export interface Budget {
  spent(): number;
  readonly limit: number;
  add(usd: number): void;
}

export function createBudget(limit: number, alreadySpent = 0): Budget {
  let spent = alreadySpent;
  return {
    limit,
    spent: () => spent,
    add(usd) {
      // A negative or NaN cost would silently lower the total: only real, positive costs count.
      if (Number.isFinite(usd) && usd > 0) spent += usd;
    },
  };
}
