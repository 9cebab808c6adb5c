/**
 * Reading a JSON state file through its schema. Readers never crash on a bad
 * file: a missing or invalid file is an outcome (with the reason), so one
 * broken file costs a row, not the command.
 */
import type { z } from "zod";
import { errorMessage } from "../errors";
import type { Fs } from "../system/fs";

export type JsonRead<T> = { kind: "ok"; value: T } | { kind: "missing" } | { kind: "invalid"; reason: string };

/** Pure: decodes `text` through `schema`. */
export function parseJsonAs<S extends z.ZodType>(text: string, schema: S): JsonRead<z.infer<S>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // Converted: a half-written or hand-edited file is an expected outcome, not a bug.
    return { kind: "invalid", reason: `not valid JSON (${errorMessage(error)})` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join(".")}: ` : "";
    return { kind: "invalid", reason: `${where}${first?.message ?? "does not match its schema"}` };
  }
  return { kind: "ok", value: parsed.data };
}

export async function readJsonAs<S extends z.ZodType>(fs: Fs, path: string, schema: S): Promise<JsonRead<z.infer<S>>> {
  let text: string | undefined;
  try {
    text = await fs.readText(path);
  } catch (error) {
    // Converted: a permission error or a folder where a file should be makes the file unreadable, not the reader.
    return { kind: "invalid", reason: `unreadable (${errorMessage(error)})` };
  }
  if (text === undefined) return { kind: "missing" };
  return parseJsonAs(text, schema);
}

/** The value, or undefined for a missing or invalid file. */
export function okValue<T>(read: JsonRead<T>): T | undefined {
  return read.kind === "ok" ? read.value : undefined;
}
