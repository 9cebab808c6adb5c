/**
 * `nax init`: creates `nax/config.json` holding only the project's own
 * commands as detected from its files (never a dump of every default: a
 * written default would shadow `~/.nax/config.json`) and a `$schema` pointer
 * to `nax/schemas/`, where the config and PRD JSON Schemas are written, `nax/hooks.json`, `nax/.gitignore` covering every
 * runtime file, and `nax/features/`; in a git repository it keeps `nax.lock`
 * out of `git status` through `.git/info/exclude`. Existing files are never
 * overwritten without `--force`.
 */
import { dirname, join, relative, resolve } from "node:path";
import { type DetectedCommands, detectCommands } from "../../config/detect-commands";
import { NaxError } from "../../errors";
import { CONFIG_SCHEMA_POINTER, jsonSchemaText } from "../../state/json-schema";
import { projectPaths, RUNTIME_GITIGNORE, RUNTIME_ROOT_FILES } from "../../state/paths";
import { SAMPLE_HOOKS_JSON } from "../../subscribers/hooks";
import type { Fs } from "../../system/fs";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

interface InitOptions {
  dir?: string;
  force?: boolean;
}

export function gitignoreText(): string {
  return `# nax runtime files: written while a run lives, never committed\n${RUNTIME_GITIGNORE.join("\n")}\n`;
}

/** The repository's `.git` folder at or above `start`, or undefined (a `.git` file, as in worktrees, is left alone). */
async function findGitDir(fs: Fs, start: string): Promise<string | undefined> {
  let dir = start;
  for (;;) {
    const stat = await fs.stat(join(dir, ".git"));
    if (stat) return stat.isDirectory ? join(dir, ".git") : undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Adds `/nax.lock` (relative to the repository root) to `.git/info/exclude`; true when it added something. */
async function excludeLock(fs: Fs, workdir: string): Promise<string | undefined> {
  const gitDir = await findGitDir(fs, workdir);
  if (!gitDir) return undefined;
  const excludePath = join(gitDir, "info", "exclude");
  const existing = (await fs.readText(excludePath)) ?? "";
  const prefix = relative(dirname(gitDir), workdir).split("\\").join("/");
  const wanted = RUNTIME_ROOT_FILES.map((name) => `/${prefix ? `${prefix}/` : ""}${name}`);
  const lines = new Set(existing.split("\n").map((l) => l.trim()));
  const missing = wanted.filter((line) => !lines.has(line));
  if (missing.length === 0) return undefined;
  const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
  await fs.appendText(excludePath, `${separator}${missing.join("\n")}\n`);
  return excludePath;
}

/** The config init writes: the version and the detected commands, nothing else. */
export function initialConfig(detected: DetectedCommands): Record<string, unknown> {
  const commands = Object.fromEntries(
    (["test", "lint", "typecheck"] as const).flatMap((key) => {
      const found = detected[key];
      return found ? [[key, found.command]] : [];
    }),
  );
  return Object.keys(commands).length > 0 ? { version: 1, quality: { commands } } : { version: 1 };
}

/** What init tells the user about each command: found where, or what to set. */
export function describeDetection(detected: DetectedCommands): string[] {
  const lines: string[] = [];
  for (const key of ["test", "lint", "typecheck"] as const) {
    const found = detected[key];
    lines.push(found ? `${key}: ${found.command}  (from ${found.source})` : `${key}: not found`);
  }
  if (!detected.test) {
    lines.push(
      'set quality.commands.test in nax/config.json (e.g. "quality": { "commands": { "test": "npm test" } }): `nax run` refuses to run without it, so that no story is called passed unverified',
    );
  }
  const unset = (["lint", "typecheck"] as const).filter((key) => !detected[key]);
  if (unset.length > 0) {
    lines.push(`optional: set quality.commands.${unset.join(" / quality.commands.")} to have nax check them too`);
  }
  return lines;
}

export async function initProject(io: CliIo, options: InitOptions): Promise<number> {
  const { fs } = io.sys;
  const workdir = resolve(io.cwd, options.dir ?? ".");
  const paths = projectPaths(workdir);
  const detected = await detectCommands({
    readText: (path) => fs.readText(join(workdir, path)),
    list: (dir) => fs.readdir(join(workdir, dir)),
  });
  const files: [string, string][] = [
    [paths.config, `${JSON.stringify({ $schema: CONFIG_SCHEMA_POINTER, ...initialConfig(detected) }, null, 2)}\n`],
    [paths.configSchema, jsonSchemaText("config")],
    [paths.prdSchema, jsonSchemaText("prd")],
    [paths.hooks, SAMPLE_HOOKS_JSON],
    [paths.gitignore, gitignoreText()],
  ];
  if (!options.force) {
    const existing: string[] = [];
    for (const [path] of files) if (await fs.exists(path)) existing.push(path);
    if (existing.length > 0) {
      throw new NaxError("USAGE", `${existing.join(", ")} already exist; rerun with --force to overwrite them`, {
        paths: existing,
      });
    }
  }
  for (const [path, content] of files) await fs.writeAtomic(path, content);
  await fs.mkdirp(paths.featuresDir);
  const excluded = await excludeLock(fs, workdir);
  for (const [path] of files) io.out(`created ${relative(io.cwd, path) || path}`);
  io.out(`created ${relative(io.cwd, paths.featuresDir) || paths.featuresDir}/`);
  if (excluded) io.out(`added nax.lock to ${excluded}`);
  for (const line of describeDetection(detected)) io.out(line);
  io.out(
    detected.test
      ? "next: `nax features create <name>`"
      : "next: set quality.commands.test in nax/config.json, then `nax features create <name>`",
  );
  return 0;
}

export const registerInit: RegisterCommand = (program, ctx) => {
  program
    .command("init")
    .description("create nax/config.json, nax/hooks.json, nax/.gitignore and nax/features/")
    .option("-d, --dir <path>", "project folder (default: the current folder)")
    .option("--force", "overwrite existing files")
    .action(async (options: InitOptions) => {
      ctx.setExit(await initProject(ctx.io, options));
    });
};
