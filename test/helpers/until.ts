/**
 * The one way tests wait: poll a condition with a short timer until it holds,
 * or fail naming what never happened. Never a fixed sleep.
 */

export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  deadlineMs = 15_000,
  pollMs = 10,
): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
