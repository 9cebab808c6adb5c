/**
 * Script format and test-side helpers of the fake codex, opencode and gemini
 * CLIs (`test/fakes/bin/{codex,opencode,gemini}`, test doubles honouring each
 * real CLI's headless flags, stdin prompt, JSON-lines events and exit codes;
 * see fake-cli-agent.ts). The sessions are chosen like the fake Claude's
 * (`match`, `times`, `default`; fake-claude-session.ts) and write files the
 * same way. Env:
 *   NAX_FAKE_AGENT_SCRIPT      the script's path
 *   NAX_FAKE_AGENT_LOG         one JSON line per invocation: cli, pid, argv, prompt, cwd, env names
 *   NAX_FAKE_AGENT_LOGGED_OUT  "1": the CLI's login status says not logged in
 */
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fakeClaudePathDirs } from "./fake-claude-script";

export type FakeCliName = "codex" | "opencode" | "gemini";

export type FakeCliAction =
  | { write: { path: string; content: string } }
  | { append: { path: string; content: string } }
  | { run: string }
  | { text: string }
  | { sleep: number }
  /** Sleep until a signal ends it (or the orphan watch). */
  | { hang: true };

export interface FakeCliResult {
  /** How the session ends: success, an API error, a 429, a 401. Default success. */
  status?: "success" | "error" | "rate-limit" | "auth";
  /** The error's message (each CLI words its own default). */
  message?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** opencode only: the cost its step_finish reports. */
  costUsd?: number;
  exitCode?: number;
}

export interface FakeCliSession {
  name?: string;
  match?: string;
  times?: number;
  actions?: FakeCliAction[];
  result?: FakeCliResult;
}

export interface FakeCliScript {
  sessions?: FakeCliSession[];
  default?: FakeCliSession;
}

export interface FakeCliInvocation {
  cli: FakeCliName;
  pid: number;
  argv: string[];
  prompt: string;
  cwd: string;
  envKeys: string[];
  session: string;
}

export function fakeCliPath(cli: FakeCliName): string {
  return resolve(import.meta.dir, "bin", cli);
}

export async function writeFakeCliScript(dir: string, script: FakeCliScript, name = "fake-cli.json") {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(script, null, 2));
  return path;
}

/** Env for spawning the fakes: bun resolvable for the shebang, the fakes first on PATH, script and log wired. */
export function fakeCliEnv(options: { scriptPath?: string; logPath?: string; extra?: Record<string, string> }) {
  const env: Record<string, string> = {
    PATH: [...fakeClaudePathDirs(), "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
    HOME: process.env.HOME ?? "/tmp",
  };
  if (options.scriptPath) env.NAX_FAKE_AGENT_SCRIPT = options.scriptPath;
  if (options.logPath) env.NAX_FAKE_AGENT_LOG = options.logPath;
  return { ...env, ...options.extra };
}

export async function readFakeCliLog(logPath: string): Promise<FakeCliInvocation[]> {
  const text = await readFile(logPath, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as FakeCliInvocation);
}
