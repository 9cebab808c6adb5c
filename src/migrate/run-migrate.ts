/**
 * `nax migrate`'s work on disk: each of the project's nax files (config.json,
 * hooks.json, every feature's prd.json; with `global`, NAX_HOME's config and
 * hooks) is converted, checked against nax's schema, and only then written:
 * a backup of the original first, then the new file, both atomically. A file
 * that would still be invalid is not touched; its remaining problems are
 * reported so the user can fix them by hand.
 */
import { basename, join } from "node:path";
import { ConfigSchema } from "../config/schema";
import { errorMessage } from "../errors";
import { PrdSchema } from "../prd/schema";
import { findPrdProblems } from "../prd/validate";
import { HooksFileSchema } from "../state/hooks-file";
import { globalPaths, projectPaths } from "../state/paths";
import type { Sys } from "../system/sys";
import { formatZodIssues } from "../utils/zod-issues";
import { type Change, isRecord, type Migrated } from "./changes";
import { migrateConfig } from "./migrate-config";
import { migrateHooks } from "./migrate-hooks";
import { migratePrd } from "./migrate-prd";

type Json = Record<string, unknown>;

export interface FileMigration {
  path: string;
  outcome: "converted" | "unchanged" | "invalid" | "missing";
  changes: Change[];
  backup?: string;
  problems: string[];
}

interface Kind {
  migrate(raw: Json): Migrated<Json>;
  check(value: Json): string[];
}

const issues = (result: { success: boolean; error?: unknown }) =>
  result.success ? [] : formatZodIssues(result.error as Parameters<typeof formatZodIssues>[0]);

const KINDS = {
  config: { migrate: migrateConfig, check: (v: Json) => issues(ConfigSchema.safeParse(v)) },
  hooks: { migrate: migrateHooks, check: (v: Json) => issues(HooksFileSchema.safeParse(v)) },
  prd: {
    migrate: migratePrd,
    check: (v: Json) => {
      const parsed = PrdSchema.safeParse(v);
      return parsed.success ? findPrdProblems(parsed.data) : issues(parsed);
    },
  },
} satisfies Record<string, Kind>;

async function backupPath(sys: Pick<Sys, "fs" | "clock">, path: string): Promise<string> {
  const plain = `${path}.nax-0.22.bak`;
  if (!(await sys.fs.exists(plain))) return plain;
  return `${plain}.${sys.clock.now()}`;
}

async function migrateFile(
  sys: Pick<Sys, "fs" | "clock">,
  path: string,
  kind: Kind,
  dryRun: boolean,
): Promise<FileMigration> {
  const text = await sys.fs.readText(path);
  if (text === undefined) return { path, outcome: "missing", changes: [], problems: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { path, outcome: "invalid", changes: [], problems: [`not valid JSON (${errorMessage(error)})`] };
  }
  if (!isRecord(raw)) return { path, outcome: "invalid", changes: [], problems: ["(root): expected a JSON object"] };
  const { value, changes } = kind.migrate(raw);
  const problems = kind.check(value);
  if (problems.length > 0) return { path, outcome: "invalid", changes, problems };
  if (changes.length === 0) return { path, outcome: "unchanged", changes, problems };
  if (dryRun) return { path, outcome: "converted", changes, problems };
  const backup = await backupPath(sys, path);
  await sys.fs.writeAtomic(backup, text);
  await sys.fs.writeAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
  return { path, outcome: "converted", changes, backup, problems };
}

export async function runMigrate(
  sys: Pick<Sys, "fs" | "clock" | "naxHome">,
  workdir: string,
  options: { global?: boolean; dryRun?: boolean },
): Promise<FileMigration[]> {
  const project = projectPaths(workdir);
  const targets: [string, Kind][] = [
    [project.config, KINDS.config],
    [project.hooks, KINDS.hooks],
  ];
  for (const name of await sys.fs.readdir(project.featuresDir)) {
    if (!name.startsWith(".")) targets.push([join(project.featuresDir, name, "prd.json"), KINDS.prd]);
  }
  if (options.global) {
    const home = globalPaths(sys.naxHome);
    targets.push([home.config, KINDS.config], [home.hooks, KINDS.hooks]);
  }
  const results: FileMigration[] = [];
  for (const [path, kind] of targets) {
    const result = await migrateFile(sys, path, kind, options.dryRun ?? false);
    // A feature folder without a prd.json is not worth a line.
    if (result.outcome === "missing" && basename(path) === "prd.json") continue;
    results.push(result);
  }
  return results;
}
