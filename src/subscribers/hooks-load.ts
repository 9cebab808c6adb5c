/**
 * Loading the hooks files: `~/.nax/hooks.json` ($NAX_HOME) then
 * `nax/hooks.json`, both run, global first, unless the project's file says
 * `"skipGlobal": true`. A missing file has no hooks; an invalid one stops the
 * run before it starts, with the file, the field and the right shape (and a
 * pointer to `nax migrate` for a nax 0.22 file).
 */
import { NaxError } from "../errors";
import { isRecord } from "../migrate/changes";
import { migrateHooks } from "../migrate/migrate-hooks";
import { DEFAULT_HOOK_TIMEOUT_MS, HOOK_KEYS, HOOK_NAMES, type HookKey, HooksFileSchema } from "../state/hooks-file";
import type { Fs } from "../system/fs";
import { formatZodIssues } from "../utils/zod-issues";

export interface ResolvedHook {
  /** The key it was listed under: a named hook, an event type, or `*`. */
  name: HookKey;
  command: string[];
  timeoutMs: number;
  /** The file it came from, for messages. */
  source: string;
}

/** What `nax init` writes to `nax/hooks.json`: every named hook present, none configured. */
export const SAMPLE_HOOKS_JSON = `${JSON.stringify(
  { hooks: Object.fromEntries(HOOK_NAMES.map((name) => [name, []])) },
  null,
  2,
)}\n`;

/** The right shape, said with every error in a hooks file. */
export const HOOKS_SHAPE =
  'expected {"hooks": {"<hook name>": [{"command": ["program", "arg", ...], "timeoutMs": 30000, "enabled": true}]}, "skipGlobal": false} (each hook a list; command as argv, or ["sh", "-c", "..."] for a shell; a hook name is on-start ... on-crash, any event type from `nax schema events`, or "*")';

interface ParsedHooks {
  hooks: ResolvedHook[];
  skipGlobal: boolean;
}

function parse(text: string, source: string): ParsedHooks {
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
  for (const name of HOOK_KEYS) {
    for (const entry of parsed.data.hooks[name] ?? []) {
      if (entry.enabled === false) continue;
      hooks.push({ name, command: entry.command, timeoutMs: entry.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS, source });
    }
  }
  return { hooks, skipGlobal: parsed.data.skipGlobal === true };
}

export function parseHooksFile(text: string, source: string): ResolvedHook[] {
  return parse(text, source).hooks;
}

/** Global hooks first, then the project's; `skipGlobal` in the project's file leaves the global ones out. */
export async function loadHooks(fs: Fs, paths: { global: string; project: string }): Promise<ResolvedHook[]> {
  const projectText = await fs.readText(paths.project);
  const project = projectText === undefined ? undefined : parse(projectText, paths.project);
  if (project?.skipGlobal) return project.hooks;
  const globalText = await fs.readText(paths.global);
  const global = globalText === undefined ? undefined : parse(globalText, paths.global);
  if (global?.skipGlobal) {
    throw new NaxError(
      "CONFIG_INVALID",
      `${paths.global}: skipGlobal belongs in a project's nax/hooks.json (it leaves this file out); remove it here`,
      { path: paths.global },
    );
  }
  return [...(global?.hooks ?? []), ...(project?.hooks ?? [])];
}
