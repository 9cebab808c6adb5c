/**
 * Converts a nax reference hooks.json (`{"hooks": {"on-start": {"command":
 * "a shell string", "timeout": ms, "enabled": bool}}}`) to nax's format
 * (`{"hooks": {"on-start": [{"command": ["argv"], "timeoutMs": ms}]}}`). The
 * reference ran its command string through a shell, so the converted hook
 * says so explicitly: `["sh", "-c", "<the string>"]`, the one way nax runs a
 * shell (it never builds one from user data itself). Pure.
 */
import { type Change, isRecord, type Migrated } from "./changes";

function convertEntry(name: string, entry: Record<string, unknown>, changes: Change[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const path = `hooks.${name}`;
  if (typeof entry.command === "string") {
    out.command = ["sh", "-c", entry.command];
    changes.push({
      kind: "converted",
      path: `${path}.command`,
      detail: 'a shell string -> ["sh", "-c", <the string>]',
    });
  } else if (entry.command !== undefined) out.command = entry.command;
  if (entry.timeout !== undefined) {
    out.timeoutMs = entry.timeout;
    changes.push({ kind: "moved", from: `${path}.timeout`, to: `${path}[0].timeoutMs (milliseconds, as in 0.22)` });
  }
  if (entry.timeoutMs !== undefined) out.timeoutMs = entry.timeoutMs;
  if (entry.enabled !== undefined) out.enabled = entry.enabled;
  for (const key of Object.keys(entry)) {
    if (!["command", "timeout", "timeoutMs", "enabled"].includes(key)) out[key] = entry[key];
  }
  return out;
}

export function migrateHooks(raw: Record<string, unknown>): Migrated<Record<string, unknown>> {
  const value = structuredClone(raw);
  const changes: Change[] = [];
  if (!isRecord(value.hooks)) return { value, changes };
  for (const [name, spec] of Object.entries(value.hooks)) {
    if (isRecord(spec)) {
      value.hooks[name] = [convertEntry(name, spec, changes)];
      changes.push({ kind: "converted", path: `hooks.${name}`, detail: "one hook object -> a list of hooks" });
    } else if (Array.isArray(spec)) {
      value.hooks[name] = spec.map((item) => (isRecord(item) ? convertEntry(name, item, changes) : item));
    }
  }
  return { value, changes };
}
