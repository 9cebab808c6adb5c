/** Turns zod issues into `path: message` lines a person can act on. */
import type { z } from "zod";

export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || "(root)";
}

export function formatZodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = formatIssuePath(issue.path);
    if (issue.code === "unrecognized_keys") {
      return `${path}: unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}; remove or correct them`;
    }
    return `${path}: ${issue.message}`;
  });
}
