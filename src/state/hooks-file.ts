/**
 * The hooks file schema, shared by `~/.nax/hooks.json` and `nax/hooks.json`:
 * `{ "skipGlobal"?, "hooks": { "<hook-name>": [{ "command": ["argv", ...], "timeoutMs"?, "enabled"? }] } }`.
 * A hook name is one of the nine named hooks (`on-start`...), any event type
 * of the schema (`story:completed`, `agent:session-started`, ...: the EVENTS
 * list, so a new event can have hooks without touching this file) or `*`
 * (every event).
 * Commands are argv only: nax never hands user data to a shell (README "Hooks"); a
 * user who wants one writes `["sh", "-c", "..."]` themselves. Unknown hook
 * names and keys are errors, so a typo cannot silently disable a hook.
 */
import { z } from "zod";
import { EVENT_TYPES, type NaxEventType } from "../events/events";

export const HOOK_NAMES = [
  "on-start",
  "on-story-start",
  "on-story-complete",
  "on-story-fail",
  "on-escalate",
  "on-pause",
  "on-complete",
  "on-error",
  "on-crash",
] as const;
export type HookName = (typeof HOOK_NAMES)[number];
/** Every key a hooks file may use: a named hook, an event type, or `*` for every event. */
export type HookKey = HookName | NaxEventType | "*";
export const HOOK_KEYS: readonly HookKey[] = [...HOOK_NAMES, ...EVENT_TYPES, "*"];

export const DEFAULT_HOOK_TIMEOUT_MS = 30_000;

export const HookEntrySchema = z.strictObject({
  command: z.array(z.string().min(1, "must not be empty")).min(1, "needs at least the program to run"),
  timeoutMs: z.number().int().positive().max(3_600_000).optional(),
  enabled: z.boolean().optional(),
});
export type HookEntry = z.infer<typeof HookEntrySchema>;

const hookList = z.array(HookEntrySchema).optional();

export const HooksFileSchema = z.strictObject({
  /** In `nax/hooks.json`: the global `~/.nax/hooks.json` is not run for this project. */
  skipGlobal: z.boolean().optional(),
  hooks: z.strictObject(Object.fromEntries(HOOK_KEYS.map((key) => [key, hookList]))).prefault({}),
});
export type HooksFile = z.infer<typeof HooksFileSchema>;
