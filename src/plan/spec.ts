/**
 * What `nax plan` reads: the feature's spec.md and the files its `## Files`
 * section names (`- path` lines), each inside the project, none a symbolic
 * link, each capped and all of them together capped, so a spec can neither
 * leak a file from outside the project into a model call nor blow the
 * prompt up. A spec too long to read whole is refused rather than cut: a
 * plan made from half a spec would silently drop requirements.
 */
import { relative } from "node:path";
import { NaxError } from "../errors";
import { type ContextLimits, DEFAULT_CONTEXT_LIMITS, insideWorkdir } from "../pipeline/stages/context";
import { isTemplateSpec } from "../prd/template";
import { featurePaths } from "../state/paths";
import type { Fs } from "../system/fs";

export const MAX_SPEC_CHARS = 40_000;
export const MAX_SPEC_FILES = 20;

export interface SpecFile {
  path: string;
  text: string;
}

export interface PlanSpec {
  /** spec.md relative to the project. */
  path: string;
  text: string;
  files: SpecFile[];
  /** Named files left out, and why (`- path: reason`). */
  notes: string[];
}

const FILES_HEADING = /^#{2,}\s*(context |relevant )?files\s*$/i;

/** The paths of the `## Files` section's list items: a backticked path, else the item's first word. */
export function namedFiles(spec: string): string[] {
  const paths: string[] = [];
  let inFiles = false;
  for (const line of spec.split("\n")) {
    if (/^#{1,6}\s/.test(line)) {
      inFiles = FILES_HEADING.test(line.trim());
      continue;
    }
    const item = inFiles ? /^\s*[-*]\s+(.*)$/.exec(line) : null;
    if (!item?.[1]) continue;
    const path = /`([^`]+)`/.exec(item[1])?.[1] ?? item[1].trim().split(/\s+/)[0];
    if (path && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

async function readCapped(fs: Fs, path: string, cap: number): Promise<{ text: string; cut: number } | undefined> {
  const stat = await fs.stat(path);
  if (!stat || stat.isDirectory) return undefined;
  // Never more than the cap (in bytes, which bounds the characters too) is read into memory.
  const bytes = await fs.readBytes(path, 0, Math.min(stat.size, cap));
  if (!bytes) return undefined;
  const text = new TextDecoder().decode(bytes).slice(0, cap);
  return { text, cut: Math.max(0, stat.size - bytes.length) };
}

export async function readPlanSpec(
  fs: Fs,
  workdir: string,
  feature: string,
  limits: ContextLimits = DEFAULT_CONTEXT_LIMITS,
): Promise<PlanSpec> {
  const specPath = featurePaths(workdir, feature).spec;
  const shown = relative(workdir, specPath);
  const stat = await fs.stat(specPath);
  if (!stat || stat.isDirectory) {
    throw new NaxError(
      "FEATURE_NOT_FOUND",
      `${specPath}: no spec.md; create the feature with \`nax features create ${feature}\` and describe it in spec.md`,
      { path: specPath },
    );
  }
  const tooLong = () =>
    new NaxError(
      "USAGE",
      `${specPath}: more than the ${MAX_SPEC_CHARS} characters \`nax plan\` reads (${stat.size} bytes); split the feature into smaller features`,
      { path: specPath },
    );
  // A character is at most 4 bytes in UTF-8: a file past this cannot be short enough, and is not read at all.
  if (stat.size > MAX_SPEC_CHARS * 4) throw tooLong();
  const text = (await fs.readText(specPath)) ?? "";
  if (isTemplateSpec(text)) {
    throw new NaxError(
      "USAGE",
      `${specPath}: still the template from \`nax features create\`; describe the feature (goal, behaviour, constraints) before \`nax plan\``,
      { path: specPath },
    );
  }
  if (text.length > MAX_SPEC_CHARS) throw tooLong();
  const files: SpecFile[] = [];
  const notes: string[] = [];
  let budget = limits.totalChars;
  const named = namedFiles(text);
  for (const [index, path] of named.entries()) {
    const absolute = insideWorkdir(workdir, path);
    if (index >= MAX_SPEC_FILES) notes.push(`- ${path}: skipped, more than ${MAX_SPEC_FILES} files named`);
    else if (!absolute) notes.push(`- ${path}: skipped, outside the project folder`);
    else if (await fs.isSymlink(absolute)) notes.push(`- ${path}: skipped, a symbolic link (not followed)`);
    else if (budget <= 0) notes.push(`- ${path}: skipped, size limit of the named files reached`);
    else {
      const read = await readCapped(fs, absolute, Math.min(limits.perFileChars, budget));
      if (!read) {
        notes.push(`- ${path}: not found`);
        continue;
      }
      budget -= read.text.length;
      const tail = read.cut > 0 ? `\n… (truncated: ${read.cut} more bytes)` : "";
      files.push({ path, text: `${read.text}${tail}` });
    }
  }
  return { path: shown, text, files, notes };
}
