/**
 * The hooks file schema, shared by `~/.nax/hooks.json` and `nax/hooks.json`:
 * `{ "hooks": { "<hook-name>": [{ "command": ["argv", ...], "timeoutMs"?, "enabled"? }] } }`.
 * Commands are argv only: nax never hands user data to a shell (README "Hooks"); a
 * user who wants one writes `["sh", "-c", "..."]` themselves. Unknown hook
 * names and keys are errors, so a typo cannot silently disable a hook.
 */
import { z } from "zod";

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

export const DEFAULT_HOOK_TIMEOUT_MS = 30_000;

export const HookEntrySchema = z.strictObject({
  command: z.array(z.string().min(1, "must not be empty")).min(1, "needs at least the program to run"),
  timeoutMs: z.number().int().positive().max(3_600_000).optional(),
  enabled: z.boolean().optional(),
});
export type HookEntry = z.infer<typeof HookEntrySchema>;

const hookList = z.array(HookEntrySchema).optional();

export const HooksFileSchema = z.strictObject({
  hooks: z
    .strictObject({
      "on-start": hookList,
      "on-story-start": hookList,
      "on-story-complete": hookList,
      "on-story-fail": hookList,
      "on-escalate": hookList,
      "on-pause": hookList,
      "on-complete": hookList,
      "on-error": hookList,
      "on-crash": hookList,
    })
    .prefault({}),
});
export type HooksFile = z.infer<typeof HooksFileSchema>;
