/**
 * Plugin reporters as bus subscribers, one per plugin (each on its own
 * queue, so a slow one delays only itself). Each event is handed over as the
 * redacted envelope (what `nax logs --json` prints) to the reporter's
 * function for its type and to its `*` function. A reporter that throws or
 * hangs is cut off at the guard's limit and named in a warning; the run goes
 * on. A warning about a plugin is never handed to plugins (no loops). The
 * Runner drains these subscribers after it releases the lock, as it does the
 * hooks: a slow reporter never holds the lock, and on the shutdown path
 * (run:crashed) a reporter gets at most SHUTDOWN_REPORTER_TIMEOUT_MS.
 */
import type { Detach, EventBus } from "../events/bus";
import type { Logger } from "../logger/logger";
import { envelopeLine } from "../subscribers/envelope";
import type { Clock } from "../system/clock";
import type { Redactor } from "../system/secrets";
import { guarded, PLUGIN_CALL_TIMEOUT_MS } from "./guard";
import type { LoadedPlugin } from "./load";
import type { PluginEvent } from "./types";

/** On the shutdown path a reporter gets at most this, like a hook (subscribers/hooks.ts): the process is going down. */
export const SHUTDOWN_REPORTER_TIMEOUT_MS = 3000;

/** The bus names of the plugin reporters: the Runner drains them after the lock is released, as it does the hooks. */
export function pluginSubscriberNames(plugins: readonly LoadedPlugin[]): string[] {
  return plugins.filter((p) => p.plugin.reporter !== undefined).map((p) => `plugin:${p.plugin.name}`);
}

export interface ReporterDeps {
  plugins: readonly LoadedPlugin[];
  logger: Logger;
  clock: Pick<Clock, "sleep">;
  redactor: Pick<Redactor, "text">;
  timeoutMs?: number;
  /** Resolves once the run's lock is gone: the run's end reaches reporters only then. */
  lockReleased?: Promise<void>;
}

export function attachPluginReporters(bus: EventBus, deps: ReporterDeps): Detach {
  const detaches: Detach[] = [];
  for (const entry of deps.plugins) {
    const reporter = entry.plugin.reporter;
    if (!reporter) continue;
    const name = entry.plugin.name;
    detaches.push(
      bus.onAny(
        async (event) => {
          if (event.type === "log" && event.data.data?.plugin !== undefined) return;
          const hooks = [event.type, "*"].flatMap((key) => (reporter[key] ? [{ key, hook: reporter[key] }] : []));
          if (hooks.length === 0) return;
          if (event.type === "run:completed" || event.type === "run:crashed") await deps.lockReleased;
          const envelope = JSON.parse(deps.redactor.text(envelopeLine(event))) as PluginEvent;
          for (const { key, hook } of hooks) {
            const limit = deps.timeoutMs ?? PLUGIN_CALL_TIMEOUT_MS;
            const timeoutMs = event.type === "run:crashed" ? Math.min(limit, SHUTDOWN_REPORTER_TIMEOUT_MS) : limit;
            const result = await guarded(deps.clock, (signal) => hook(envelope, { settings: entry.settings, signal }), {
              timeoutMs,
            });
            if (!result.ok) {
              deps.logger.warn(
                `plugin ${name} (${entry.source}): reporter["${key}"] on ${event.type} ${result.error}; the run goes on`,
                {
                  data: { plugin: name, point: "reporter" },
                },
              );
            }
          }
        },
        { name: `plugin:${name}` },
      ),
    );
  }
  return () => {
    for (const detach of detaches) detach();
  };
}
