/**
 * Calling into a plugin: its code is not ours, so every call is bounded in
 * time (the plugin gets an AbortSignal that fires at the limit) and anything
 * it throws or rejects with becomes data naming the plugin, never an
 * exception in the run.
 */
import { errorMessage } from "../errors";
import type { Clock } from "../system/clock";

/** How long one plugin call may take before nax stops waiting for it. */
export const PLUGIN_CALL_TIMEOUT_MS = 10_000;

export type Guarded<T> = { ok: true; value: T } | { ok: false; error: string };

export async function guarded<T>(
  clock: Pick<Clock, "sleep">,
  call: (signal: AbortSignal) => Promise<T> | T,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Guarded<T>> {
  const timeoutMs = options.timeoutMs ?? PLUGIN_CALL_TIMEOUT_MS;
  const timer = new AbortController();
  const signal = options.signal ? AbortSignal.any([timer.signal, options.signal]) : timer.signal;
  const timedOut = Symbol("timeout");
  try {
    const value = await Promise.race([
      Promise.resolve().then(() => call(signal)),
      clock.sleep(timeoutMs, timer.signal).then(() => timedOut),
    ]);
    if (value === timedOut) return { ok: false, error: `did not finish within ${timeoutMs}ms` };
    return { ok: true, value: value as T };
  } catch (error) {
    return { ok: false, error: `threw: ${errorMessage(error)}` };
  } finally {
    timer.abort();
  }
}
