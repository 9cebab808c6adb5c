/**
 * Repeating timers for subscribers (the status heartbeat, the live progress
 * line). Injectable so tests can fire ticks by hand; the default is a real
 * interval that is `unref`ed, so a timer never keeps a finished process alive.
 */

export type Ticker = (intervalMs: number, onTick: () => void) => () => void;

export const intervalTicker: Ticker = (intervalMs, onTick) => {
  const handle = setInterval(onTick, intervalMs);
  handle.unref?.();
  return () => clearInterval(handle);
};
