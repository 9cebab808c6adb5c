/**
 * Script format and test-side helpers of the fake Claude CLI
 * (`test/fakes/bin/claude`, a test double honouring the real CLI's flags,
 * stdin prompt, stream-json events and exit codes; see fake-claude.ts).
 *
 * Tests write a script with `writeFakeClaudeScript(dir, script)` and pass the
 * env from `fakeClaudeEnv(...)` to whatever spawns the fake:
 *   NAX_FAKE_CLAUDE_SCRIPT  the script's path (counters live beside it, in `<script>.state.json`)
 *   NAX_FAKE_CLAUDE_LOG     one JSON line per invocation: pid, argv, prompt, cwd, model, env names (never values)
 *   NAX_FAKE_CLAUDE_LOGGED_OUT  "1": `claude auth status` says not logged in (exit 1)
 *   NAX_FAKE_CLAUDE_ROOT    "1"/"0": act as root or not, whatever the real uid (root refuses
 *                           --dangerously-skip-permissions unless IS_SANDBOX=1, like the real CLI)
 * The executable's shebang is `#!/usr/bin/env bun`, so `bun` must be on the
 * PATH the fake sees. `fakeClaudePathDirs()` gives that PATH prefix: the
 * fake's own bin folder first (so a plain `claude` resolves to the fake),
 * then `dirname(process.execPath)` when a `bun` lives there, else
 * `node_modules/.bin` (the npm-installed bun is `bun.exe` behind a `bun`
 * symlink there; its real `claude` is shadowed by the fake's folder).
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

export type FakeClaudeAction =
  /** Write a file (path relative to the cwd), reported as a Write tool call. */
  | { write: { path: string; content: string } }
  /** Append to a file, reported as an Edit tool call. */
  | { append: { path: string; content: string } }
  /** Run a shell command in the cwd, reported as a Bash tool call with its output. */
  | { run: string }
  /** An assistant text message. */
  | { text: string }
  | { sleep: number }
  /** Sleep forever. With ignoreInterrupt, SIGINT is ignored too (only SIGKILL ends it). */
  | { hang: true; ignoreInterrupt?: boolean }
  /**
   * Start `sh -c <command>` in its OWN process group (as the real Bash tool does) and write its
   * pid to `pidFile` (relative to the cwd). The fake never cleans it up: it is orphaned when the
   * fake dies, the worst case the orchestrator must handle.
   */
  | { spawnChild: string; pidFile: string }
  /** Flood stdout / stderr with this many bytes of filler lines. */
  | { stdoutBytes: number }
  | { stderrBytes: number };

export interface FakeClaudeResult {
  is_error?: boolean;
  api_error_status?: number | null;
  total_cost_usd?: number;
  result?: string;
  subtype?: string;
  exitCode?: number;
  /** Emit a system/api_retry event with this retry_delay_ms before the result (a rate-limit retry). */
  rateLimitRetryDelayMs?: number;
  num_turns?: number;
  usage?: { input_tokens?: number; output_tokens?: number };
  permission_denials?: number;
  /** Omit total_cost_usd from the result event entirely. */
  omitCost?: boolean;
  /** Print no result event at all (the CLI died mid-way). */
  omitResult?: boolean;
}

export interface FakeClaudeSession {
  name?: string;
  /** Substring of the prompt, or `/regex/flags`. No match: fits every prompt. */
  match?: string;
  /** How many times this session may be played; unlimited when absent. */
  times?: number;
  actions?: FakeClaudeAction[];
  result?: FakeClaudeResult;
}

export interface FakeClaudeScript {
  sessions?: FakeClaudeSession[];
  /** Played when no session fits; a plain success without actions when absent. */
  default?: FakeClaudeSession;
}

export interface FakeClaudeInvocation {
  at: string;
  /** The fake's own pid, so a test can check that the process it spawned is gone. */
  pid: number;
  argv: string[];
  prompt: string;
  cwd: string;
  model: string | null;
  /** Names only, sorted: values are never logged. */
  envKeys: string[];
  /** The session played: its name, or `sessions[i]`, `default`, `builtin`. */
  session: string;
}

export const FAKE_CLAUDE_VERSION = "2.1.197-fake";

/** Absolute path of the executable test double. */
export function fakeClaudePath(): string {
  return resolve(import.meta.dir, "bin", "claude");
}

/** PATH entries that make the fake runnable (bun for its shebang) and `claude` resolve to it. */
export function fakeClaudePathDirs(): string[] {
  const bunDir = dirname(process.execPath);
  const withBun = existsSync(join(bunDir, "bun")) ? bunDir : resolve(import.meta.dir, "../../node_modules/.bin");
  return [dirname(fakeClaudePath()), withBun];
}

export async function writeFakeClaudeScript(dir: string, script: FakeClaudeScript, name = "fake-claude.json") {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(script, null, 2));
  return path;
}

/** Env for spawning the fake: bun resolvable for the shebang, script and log wired, IS_SANDBOX set. */
export function fakeClaudeEnv(options: {
  scriptPath?: string;
  logPath?: string;
  asRoot?: boolean;
  isSandbox?: boolean;
  extra?: Record<string, string>;
}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: [...fakeClaudePathDirs(), "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
    HOME: process.env.HOME ?? "/tmp",
  };
  if (options.scriptPath) env.NAX_FAKE_CLAUDE_SCRIPT = options.scriptPath;
  if (options.logPath) env.NAX_FAKE_CLAUDE_LOG = options.logPath;
  if (options.asRoot !== undefined) env.NAX_FAKE_CLAUDE_ROOT = options.asRoot ? "1" : "0";
  if (options.isSandbox ?? true) env.IS_SANDBOX = "1";
  return { ...env, ...options.extra };
}

export async function readFakeClaudeLog(logPath: string): Promise<FakeClaudeInvocation[]> {
  let text: string;
  try {
    text = await readFile(logPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as FakeClaudeInvocation);
}
