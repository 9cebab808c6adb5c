/**
 * A temp git project for integration tests, built the way a user would:
 * `git init`, `nax init` (in-process), a PRD, a test command, an initial
 * commit. `NAX_HOME` is a temp folder beside it and the fake Claude CLI is
 * `agents.claude.command`, scripted per test. `run(...)` drives the CLI
 * in-process through `runCli` with captured output.
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { CliIo } from "../../src/cli/io";
import { runCli } from "../../src/cli/main";
import { mergeLayers } from "../../src/config/load";
import { createSys, type Sys } from "../../src/system/sys";
import {
  type FakeClaudeInvocation,
  type FakeClaudeScript,
  fakeClaudeEnv,
  fakeClaudePath,
  readFakeClaudeLog,
  writeFakeClaudeScript,
} from "../fakes/fake-claude-script";

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export interface NaxOptions {
  cwd?: string;
  sys?: Sys;
  /** Signals for the run: an emitter the test controls, and where a forced exit would go. */
  process?: CliIo["process"];
  /** Sees every chunk the CLI writes to stdout, as it is written. */
  onOutput?: (text: string) => void;
}

export interface TestProject {
  /** The project (workdir). */
  dir: string;
  /** NAX_HOME. */
  home: string;
  feature: string;
  env: Record<string, string>;
  sys: Sys;
  /** Runs `nax <args>` in-process with cwd = the project. */
  nax(args: string[], options?: NaxOptions): Promise<CliResult>;
  git(args: string[]): string;
  readJson<T = Record<string, unknown>>(relativePath: string): Promise<T>;
  writeText(relativePath: string, content: string): Promise<void>;
  setScript(script: FakeClaudeScript): Promise<void>;
  claudeCalls(): Promise<FakeClaudeInvocation[]>;
  /** Every file (path → content) under the project (without .git/objects) and NAX_HOME. */
  snapshot(): Promise<Map<string, string>>;
  cleanup(): Promise<void>;
}

export interface ProjectOptions {
  feature?: string;
  /** The PRD's stories; omitted means no feature is created. */
  stories?: Record<string, unknown>[];
  /** Merged over what `nax init` wrote. */
  config?: Record<string, unknown>;
  script?: FakeClaudeScript;
  /** Files written before the initial commit (relative path → content). */
  files?: Record<string, string>;
}

function git(cwd: string, env: Record<string, string>, args: string[]): string {
  const result = spawnSync("git", args, { cwd, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

async function walk(root: string, prefix: string, into: Map<string, string>, base = root): Promise<void> {
  const entries = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  for (const entry of entries) {
    const path = join(root, entry.name);
    const key = `${prefix}/${relative(base, path)}`;
    if (entry.isDirectory()) {
      // Git's object store changes only with commits, which the refs and the index already show.
      if (entry.name === "objects" && root.endsWith(".git")) continue;
      into.set(`${key}/`, "");
      await walk(path, prefix, into, base);
    } else {
      into.set(key, await readFile(path, "utf8"));
    }
  }
}

export function captureIo(sys: Sys, cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    sys,
    cwd,
    stdout,
    stderr,
    isTTY: false,
    out: (text) => void stdout.push(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => void stderr.push(text.endsWith("\n") ? text : `${text}\n`),
    write: (text) => void stdout.push(text),
  };
}

export async function createTestProject(options: ProjectOptions = {}): Promise<TestProject> {
  const root = await mkdtemp(join(tmpdir(), "nax-project-"));
  const dir = join(root, "project");
  const home = join(root, "nax-home");
  const userHome = join(root, "user-home");
  await Promise.all([mkdir(dir), mkdir(home), mkdir(userHome)]);
  const scriptPath = join(root, "fake-claude.json");
  const logPath = join(root, "fake-claude.log");
  const feature = options.feature ?? "demo";
  const env: Record<string, string> = {
    ...fakeClaudeEnv({ scriptPath, logPath, extra: { NAX_HOME: home, HOME: userHome, NO_COLOR: "1" } }),
    GIT_CONFIG_NOSYSTEM: "1",
  };
  const sys = createSys({ env, naxHome: home });
  await writeFakeClaudeScript(root, options.script ?? {}, "fake-claude.json");

  const nax: TestProject["nax"] = async (args, runOptions = {}) => {
    const io = captureIo(runOptions.sys ?? sys, runOptions.cwd ?? dir);
    if (runOptions.process) io.process = runOptions.process;
    if (runOptions.onOutput) {
      const { write } = io;
      const onOutput = runOptions.onOutput;
      io.write = (text) => {
        write?.(text);
        onOutput(text);
      };
    }
    const code = await runCli(["bun", "nax", ...args], io);
    return { code, out: io.stdout.join(""), err: io.stderr.join("") };
  };

  git(dir, env, ["init", "-q", "-b", "main"]);
  git(dir, env, ["config", "user.name", "Test User"]);
  git(dir, env, ["config", "user.email", "test@example.com"]);
  git(dir, env, ["config", "commit.gpgsign", "false"]);
  const init = await nax(["init"]);
  if (init.code !== 0) throw new Error(`nax init failed: ${init.err}`);
  const configPath = join(dir, "nax", "config.json");
  const written = JSON.parse(await readFile(configPath, "utf8"));
  const base = {
    agents: { claude: { command: fakeClaudePath() } },
    quality: { requireLint: false, requireTypecheck: false },
  };
  const config = mergeLayers(mergeLayers(written, base), options.config ?? {});
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  for (const [path, content] of Object.entries(options.files ?? {})) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  if (options.stories) {
    // A run refuses stories without acceptance criteria; tests about something else get one.
    const userStories = options.stories.map((s) => ({ acceptanceCriteria: [`${String(s.id)} works`], ...s }));
    const prd = { project: "project", feature, userStories };
    await mkdir(join(dir, "nax", "features", feature), { recursive: true });
    await writeFile(join(dir, "nax", "features", feature, "prd.json"), `${JSON.stringify(prd, null, 2)}\n`);
  }
  git(dir, env, ["add", "-A"]);
  git(dir, env, ["commit", "-q", "-m", "initial"]);

  return {
    dir,
    home,
    feature,
    env,
    sys,
    nax,
    git: (args) => git(dir, env, args),
    readJson: async (path) => JSON.parse(await readFile(join(dir, path), "utf8")),
    writeText: (path, content) => writeFile(join(dir, path), content),
    setScript: async (script) => {
      await writeFakeClaudeScript(root, script, "fake-claude.json");
    },
    claudeCalls: () => readFakeClaudeLog(logPath),
    async snapshot() {
      const files = new Map<string, string>();
      await walk(dir, "project", files);
      await walk(home, "nax-home", files);
      return files;
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return false;
      throw error;
    },
  );
}
