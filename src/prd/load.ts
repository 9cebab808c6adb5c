/**
 * Reading and writing prd.json. Loading validates everything before a run
 * touches anything (size cap, JSON, schema, ids); saving is atomic and keeps
 * fields nax does not know.
 */
import { NaxError } from "../errors";
import type { Fs } from "../system/fs";
import { formatZodIssues } from "../utils/zod-issues";
import { type Prd, PrdSchema } from "./schema";
import { findPrdProblems } from "./validate";

export const PRD_MAX_BYTES = 5 * 1024 * 1024;

export function parsePrd(text: string, path: string): Prd {
  if (Buffer.byteLength(text, "utf8") > PRD_MAX_BYTES) {
    throw new NaxError("PRD_INVALID", `${path}: file is larger than 5 MB; split the feature into smaller PRDs`, {
      path,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NaxError("PRD_INVALID", `${path}: not valid JSON (${(error as Error).message}); fix the syntax`, {
      path,
      cause: error,
    });
  }
  const parsed = PrdSchema.safeParse(json);
  if (!parsed.success) {
    const lines = formatZodIssues(parsed.error).map((line) => `${path}: ${line}`);
    throw new NaxError("PRD_INVALID", lines.join("\n"), { path, problems: lines });
  }
  const problems = findPrdProblems(parsed.data).map((line) => `${path}: ${line}`);
  if (problems.length > 0) throw new NaxError("PRD_INVALID", problems.join("\n"), { path, problems });
  return parsed.data;
}

export async function loadPrd(fs: Fs, path: string): Promise<Prd> {
  const stat = await fs.stat(path);
  if (!stat) {
    throw new NaxError("PRD_NOT_FOUND", `${path}: no prd.json; create it with \`nax features create <name>\``, {
      path,
    });
  }
  if (stat.size > PRD_MAX_BYTES) {
    throw new NaxError("PRD_INVALID", `${path}: file is larger than 5 MB; split the feature into smaller PRDs`, {
      path,
    });
  }
  return parsePrd((await fs.readText(path)) ?? "", path);
}

export function serializePrd(prd: Prd): string {
  return `${JSON.stringify(prd, null, 2)}\n`;
}

/** Atomic save; the previous file stays intact if the write fails. */
export async function savePrd(fs: Fs, path: string, prd: Prd, nowIso: string): Promise<Prd> {
  const next = { ...prd, updatedAt: nowIso };
  await fs.writeAtomic(path, serializePrd(next));
  return next;
}
