/**
 * Lifecycle hooks: running the hooks that match each event through the spawn
 * helper (files loaded by hooks-load.ts). Any event of the schema can have
 * hooks, listed under its type (`story:completed`) or under `*`; the nine
 * named hooks are shorthands: run:started → on-start; story:started →
 * on-story-start; story:completed → on-story-complete; story:failed →
 * on-story-fail; story:escalated → on-escalate; story:paused and run:paused →
 * on-pause; run:completed → on-complete, plus on-error when the run ended
 * failed or stalled; run:crashed → on-crash.
 *
 * A hook gets the event on stdin as one line of the event envelope
 * (events/envelope.ts) and the environment of hook-env.ts; its argv is never
 * passed through a shell. A failing or hanging hook is a warning, never a
 * failed run. The payload goes through the run's redactor (trap 30,
 * docs/traps.md); the inherited environment is the user's own and stays whole.
 *
 * The hooks of a run's terminal event wait until the Runner has released the
 * lock (`lockReleased`): a hook that hangs can never hold the lock. On the
 * shutdown path (run:crashed: a signal or a fatal error) a hook also gets at
 * most SHUTDOWN_HOOK_TIMEOUT_MS, so it ends well inside the crash handler's
 * hard deadline.
 */
import type { Detach, EventBus } from "../events/bus";
import type { AnyNaxEvent } from "../events/events";
import type { Logger } from "../logger/logger";
import type { HookName } from "../state/hooks-file";
import type { Redactor } from "../system/secrets";
import type { Spawner } from "../system/spawn";
import { envelopeLine } from "./envelope";
import { hookEnv, noteEvent, type RunFacts, statusOf } from "./hook-env";
import type { ResolvedHook } from "./hooks-load";
import { runHook } from "./run-hook";

export { HOOKS_SHAPE, loadHooks, parseHooksFile, type ResolvedHook, SAMPLE_HOOKS_JSON } from "./hooks-load";

/** The bus name of this subscriber: the Runner drains everything else before it releases the lock. */
export const HOOKS_SUBSCRIBER = "hooks";
/** How long an on-crash hook may run: the process is going down and a second signal would cut it anyway. */
export const SHUTDOWN_HOOK_TIMEOUT_MS = 3000;

export interface HookTrigger {
  name: HookName;
  status: string;
}

/** The named hooks an event fires, with the status each one is told. */
export function hookTriggers(event: AnyNaxEvent): HookTrigger[] {
  switch (event.type) {
    case "run:started":
      return [{ name: "on-start", status: "running" }];
    case "story:started":
      return [{ name: "on-story-start", status: "started" }];
    case "story:completed":
      return [{ name: "on-story-complete", status: "passed" }];
    case "story:failed":
      return [{ name: "on-story-fail", status: "failed" }];
    case "story:escalated":
      return [{ name: "on-escalate", status: "escalated" }];
    case "story:paused":
    case "run:paused":
      return [{ name: "on-pause", status: "paused" }];
    case "run:completed": {
      const status = event.data.status;
      const complete: HookTrigger = { name: "on-complete", status };
      return status === "completed" ? [complete] : [complete, { name: "on-error", status }];
    }
    case "run:crashed":
      return [{ name: "on-crash", status: "crashed" }];
    default:
      return [];
  }
}

/** Every key an event fires, in order (named hooks, then its type, then `*`), each with the status it is told. */
export function firedKeys(event: AnyNaxEvent): { key: string; status: string }[] {
  const named = hookTriggers(event).map((t) => ({ key: t.name as string, status: t.status }));
  const own = statusOf(event, hookTriggers(event)[0]?.status);
  return [...named, { key: event.type, status: own }, { key: "*", status: own }];
}

export interface HooksDeps {
  spawn: Spawner;
  /** The base environment hooks inherit (the user's own commands need PATH, HOME...). */
  env: Readonly<Record<string, string | undefined>>;
  hooks: ResolvedHook[];
  workdir: string;
  logger: Logger;
  /** Known up front; otherwise taken from `run:started`. */
  feature?: string;
  /** The agent the run drives (`NAX_AGENT`). */
  agent?: string;
  costLimit?: number;
  /** The run's spend so far (`NAX_COST_SPENT`, unless the event carries its own). */
  costSpent?: () => number;
  /** Resolves once the run's lock is gone; terminal-event hooks wait for it. */
  lockReleased?: Promise<void>;
  /** The run's redactor: secret values never reach a hook's stdin or NAX_* variables. */
  redactor: Pick<Redactor, "text">;
}

export function attachHooks(bus: EventBus, deps: HooksDeps): Detach {
  if (deps.hooks.length === 0) return () => undefined;
  const facts: RunFacts = {
    stories: new Map(),
    ...(deps.feature === undefined ? {} : { feature: deps.feature }),
    ...(deps.agent === undefined ? {} : { agent: deps.agent }),
    ...(deps.costLimit === undefined ? {} : { costLimit: deps.costLimit }),
    ...(deps.costSpent === undefined ? {} : { costSpent: deps.costSpent }),
  };
  const keys = new Set(deps.hooks.map((hook) => hook.name as string));
  return bus.onAny(
    async (event) => {
      noteEvent(facts, event);
      // A hook's own warning (it failed, it timed out) never fires a `log` or `*` hook: that could loop forever.
      if (event.type === "log" && event.data.data?.hook !== undefined) return;
      const fired = firedKeys(event).filter((f) => keys.has(f.key));
      if (fired.length === 0) return;
      const terminal = event.type === "run:completed" || event.type === "run:crashed";
      if (terminal) await deps.lockReleased;
      const stdin = deps.redactor.text(envelopeLine(event));
      for (const one of fired) {
        for (const hook of deps.hooks) {
          if (hook.name !== one.key) continue;
          const bounded =
            event.type === "run:crashed"
              ? { ...hook, timeoutMs: Math.min(hook.timeoutMs, SHUTDOWN_HOOK_TIMEOUT_MS) }
              : hook;
          await runHook(deps, bounded, hookEnv(deps.env, event, one, facts, deps.redactor), stdin);
        }
      }
    },
    { name: HOOKS_SUBSCRIBER },
  );
}
