/**
 * Lifecycle hooks: loading `~/.nax/hooks.json` then `nax/hooks.json` (both
 * run, global first), and running the ones that match each event through the
 * spawn helper. A hook gets the event in env vars (`NAX_EVENT` = hook name,
 * `NAX_EVENT_TYPE`, `NAX_RUN_ID`, `NAX_FEATURE`, `NAX_STORY_ID`, `NAX_STATUS`)
 * and the event on stdin as one line of the event envelope (events/envelope.ts);
 * its argv is never passed through a shell. A failing or hanging hook is a
 * warning, never a failed run. The payload (stdin and the NAX_* values) goes
 * through the run's redactor (trap 30, docs/traps.md); the inherited
 * environment is the user's own and stays whole.
 *
 * Which event fires which hook: run:started → on-start; story:started →
 * on-story-start; story:completed → on-story-complete; story:failed →
 * on-story-fail; story:escalated → on-escalate; story:paused and run:paused →
 * on-pause; run:completed → on-complete, plus on-error when the run ended
 * failed or stalled; run:crashed → on-crash.
 *
 * The hooks of a run's terminal event wait until the Runner has released the
 * lock (`lockReleased`): a hook that hangs can never hold the lock. On the
 * shutdown path (run:crashed: a signal or a fatal error) a hook also gets at
 * most SHUTDOWN_HOOK_TIMEOUT_MS, so it ends well inside the crash handler's
 * hard deadline.
 */
import { NaxError } from "../errors";
import type { Detach, EventBus } from "../events/bus";
import type { AnyNaxEvent } from "../events/events";
import type { Logger } from "../logger/logger";
import { isRecord } from "../migrate/changes";
import { migrateHooks } from "../migrate/migrate-hooks";
import { DEFAULT_HOOK_TIMEOUT_MS, HOOK_NAMES, type HookName, HooksFileSchema } from "../state/hooks-file";
import type { Fs } from "../system/fs";
import type { Redactor } from "../system/secrets";
import type { Spawner } from "../system/spawn";
import { formatZodIssues } from "../utils/zod-issues";
import { envelopeLine } from "./envelope";
import { runHook } from "./run-hook";

/** The bus name of this subscriber: the Runner drains everything else before it releases the lock. */
export const HOOKS_SUBSCRIBER = "hooks";
/** How long an on-crash hook may run: the process is going down and a second signal would cut it anyway. */
export const SHUTDOWN_HOOK_TIMEOUT_MS = 3000;

export interface ResolvedHook {
  name: HookName;
  command: string[];
  timeoutMs: number;
  /** The file it came from, for messages. */
  source: string;
}

/** What `nax init` writes to `nax/hooks.json`: every hook present, none configured. */
export const SAMPLE_HOOKS_JSON = `${JSON.stringify(
  { hooks: Object.fromEntries(HOOK_NAMES.map((name) => [name, []])) },
  null,
  2,
)}\n`;

/** The right shape, said with every error in a hooks file. */
export const HOOKS_SHAPE =
  'expected {"hooks": {"<hook name>": [{"command": ["program", "arg", ...], "timeoutMs": 30000, "enabled": true}]}} (each hook a list; command as argv, or ["sh", "-c", "..."] for a shell)';

export function parseHooksFile(text: string, source: string): ResolvedHook[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NaxError("CONFIG_INVALID", `${source}: not valid JSON (${(error as Error).message}); fix the syntax`, {
      path: source,
      cause: error,
    });
  }
  const parsed = HooksFileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = formatZodIssues(parsed.error).map((line) => `${source}: ${line}`);
    lines.push(`${source}: ${HOOKS_SHAPE}`);
    if (migrateHooks(isRecord(json) ? json : {}).changes.length > 0) {
      lines.push(`${source}: this looks like a nax 0.22 hooks file; run \`nax migrate\` to convert it`);
    }
    throw new NaxError("CONFIG_INVALID", lines.join("\n"), { path: source, problems: lines });
  }
  const hooks: ResolvedHook[] = [];
  for (const name of HOOK_NAMES) {
    for (const entry of parsed.data.hooks[name] ?? []) {
      if (entry.enabled === false) continue;
      hooks.push({ name, command: entry.command, timeoutMs: entry.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS, source });
    }
  }
  return hooks;
}

/** Global hooks first, then the project's; a missing file has no hooks, an invalid one stops the run before it starts. */
export async function loadHooks(fs: Fs, paths: { global: string; project: string }): Promise<ResolvedHook[]> {
  const hooks: ResolvedHook[] = [];
  for (const path of [paths.global, paths.project]) {
    const text = await fs.readText(path);
    if (text !== undefined) hooks.push(...parseHooksFile(text, path));
  }
  return hooks;
}

export interface HookTrigger {
  name: HookName;
  status: string;
}

/** The hooks an event fires, with the status each one is told. */
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

export interface HooksDeps {
  spawn: Spawner;
  /** The base environment hooks inherit (the user's own commands need PATH, HOME...). */
  env: Readonly<Record<string, string | undefined>>;
  hooks: ResolvedHook[];
  workdir: string;
  logger: Logger;
  /** Known up front; otherwise taken from `run:started`. */
  feature?: string;
  /** Resolves once the run's lock is gone; terminal-event hooks wait for it. */
  lockReleased?: Promise<void>;
  /** The run's redactor: secret values never reach a hook's stdin or NAX_* variables. */
  redactor: Pick<Redactor, "text">;
}

export function hookEnv(
  base: HooksDeps["env"],
  event: AnyNaxEvent,
  trigger: HookTrigger,
  feature: string | undefined,
  redactor: Pick<Redactor, "text">,
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base };
  // Values inherited from an outer nax must not leak into this event's description.
  for (const key of ["NAX_EVENT", "NAX_EVENT_TYPE", "NAX_RUN_ID", "NAX_FEATURE", "NAX_STORY_ID", "NAX_STATUS"]) {
    delete env[key];
  }
  const storyId = "storyId" in event.data ? event.data.storyId : undefined;
  env.NAX_EVENT = trigger.name;
  env.NAX_EVENT_TYPE = event.type;
  env.NAX_RUN_ID = redactor.text(event.runId);
  env.NAX_STATUS = trigger.status;
  if (feature !== undefined) env.NAX_FEATURE = redactor.text(feature);
  if (storyId !== undefined) env.NAX_STORY_ID = redactor.text(storyId);
  return env;
}

export function attachHooks(bus: EventBus, deps: HooksDeps): Detach {
  let feature = deps.feature;
  if (deps.hooks.length === 0) return () => undefined;
  return bus.onAny(
    async (event) => {
      if (event.type === "run:started") feature ??= event.data.feature;
      const triggers = hookTriggers(event).filter((trigger) => deps.hooks.some((hook) => hook.name === trigger.name));
      if (triggers.length === 0) return;
      const terminal = event.type === "run:completed" || event.type === "run:crashed";
      if (terminal) await deps.lockReleased;
      for (const trigger of triggers) {
        for (const hook of deps.hooks) {
          if (hook.name !== trigger.name) continue;
          const bounded =
            event.type === "run:crashed"
              ? { ...hook, timeoutMs: Math.min(hook.timeoutMs, SHUTDOWN_HOOK_TIMEOUT_MS) }
              : hook;
          await runHook(
            deps,
            bounded,
            hookEnv(deps.env, event, trigger, feature, deps.redactor),
            deps.redactor.text(envelopeLine(event)),
          );
        }
      }
    },
    { name: HOOKS_SUBSCRIBER },
  );
}
