/**
 * Before any story starts: is the Claude Code CLI there, and is it logged in?
 * `claude --version` answers the first; `claude auth status` (local, no model
 * call, JSON with `loggedIn`) the second. When the CLI cannot tell (an older
 * version without `auth status`, output we do not recognise), we do not guess:
 * the first session's own auth error stops the run without spending an attempt.
 * The two are asked at once (two CLI starts in the time of one).
 */
import type { Sys } from "../../system/sys";
import type { AgentInstallCheck } from "../types";
import { CLAUDE_INSTALL_FIX } from "./classify";
import { buildClaudeEnv } from "./env";

const PREFLIGHT_TIMEOUT_MS = 15_000;
export const CLAUDE_LOGIN_FIX = "log in with `claude auth login` (or run `claude` once), or set ANTHROPIC_API_KEY";

/** `loggedIn` from `claude auth status` output; undefined when it cannot be read. */
export function parseAuthStatus(stdout: string): { loggedIn: boolean; authMethod?: string } | undefined {
  try {
    const parsed = JSON.parse(stdout) as { loggedIn?: unknown; authMethod?: unknown };
    if (typeof parsed.loggedIn !== "boolean") return undefined;
    return {
      loggedIn: parsed.loggedIn,
      ...(typeof parsed.authMethod === "string" ? { authMethod: parsed.authMethod } : {}),
    };
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

export async function checkClaudeInstalled(
  sys: Pick<Sys, "spawn" | "env">,
  command: string,
): Promise<AgentInstallCheck> {
  const env = buildClaudeEnv(sys.env);
  const ask = (args: string[]) =>
    sys.spawn({ cmd: [command, ...args], cwd: process.cwd(), env, timeoutMs: PREFLIGHT_TIMEOUT_MS });
  // Both at once: each is a whole CLI start (a Node process, 0.1-0.5 s), and both are local questions.
  // A missing CLI fails both the same way; the version's answer is read first.
  const [version, auth] = await Promise.all([ask(["--version"]), ask(["auth", "status"])]);
  if (version.kind === "not-found") {
    return {
      ok: false,
      installed: false,
      fix: CLAUDE_INSTALL_FIX,
      message: `Claude Code CLI not found ("${command}").`,
    };
  }
  const number = version.kind === "exited" ? /\d+\.\d+\.\d+[^\s]*/.exec(version.stdout)?.[0] : undefined;
  if (version.kind !== "exited" || version.exitCode !== 0 || !number) {
    const detail =
      version.kind === "exited"
        ? `exited with code ${version.exitCode}${version.stderr.trim() ? `: ${version.stderr.trim().slice(-300)}` : ""}`
        : `did not answer within ${PREFLIGHT_TIMEOUT_MS / 1000} s`;
    return { ok: false, installed: true, fix: CLAUDE_INSTALL_FIX, message: `"${command} --version" ${detail}` };
  }
  const status = auth.kind === "exited" ? parseAuthStatus(auth.stdout) : undefined;
  if (status && !status.loggedIn) {
    return {
      ok: false,
      installed: true,
      version: number,
      login: "no",
      fix: CLAUDE_LOGIN_FIX,
      message: `the Claude Code CLI ${number} is not logged in (auth method: ${status.authMethod ?? "none"})`,
    };
  }
  return { ok: true, installed: true, version: number, login: status ? "yes" : "unknown" };
}
