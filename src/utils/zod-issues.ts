/**
 * Turns zod issues into `path: message` lines a person can act on. An
 * unknown key gets a "did you mean" from the keys the schema knows there.
 */
import type { z } from "zod";
import { closestName } from "./did-you-mean";

export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || "(root)";
}

interface SchemaDef {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  innerType?: { _zod: { def: SchemaDef } };
  element?: { _zod: { def: SchemaDef } };
  in?: { _zod: { def: SchemaDef } };
}

function defOf(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

/** The keys an object schema declares at `path` (through defaults, optionals and arrays); empty when unknown. */
export function knownKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let def = defOf(schema);
  let rest = [...path];
  for (let guard = 0; def && guard < 64; guard++) {
    if (def.innerType) def = defOf(def.innerType);
    else if (def.type === "pipe" && def.in) def = defOf(def.in);
    else if (rest.length === 0) return def.type === "object" && def.shape ? Object.keys(def.shape) : [];
    else if (def.type === "array" && typeof rest[0] === "number") {
      def = defOf(def.element);
      rest = rest.slice(1);
    } else if (def.type === "object" && def.shape && typeof rest[0] === "string") {
      def = defOf(def.shape[rest[0]]);
      rest = rest.slice(1);
    } else return [];
  }
  return [];
}

function unknownKeysLine(path: string, keys: readonly string[], known: readonly string[]): string {
  const parts = keys.map((k) => {
    const match = closestName(k, known);
    return match === undefined ? `"${k}"` : `"${k}" (did you mean "${match}"?)`;
  });
  return `${path}: unknown key(s) ${parts.join(", ")}; remove or correct them`;
}

export function formatZodIssues(error: z.ZodError, schema?: z.ZodType): string[] {
  return error.issues.map((issue) => {
    const path = formatIssuePath(issue.path);
    if (issue.code === "unrecognized_keys") {
      return unknownKeysLine(path, issue.keys, schema ? knownKeysAt(schema, issue.path) : []);
    }
    return `${path}: ${issue.message}`;
  });
}
