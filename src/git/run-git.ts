/**
 * Every git call goes through here: argv through the one spawn helper (no
 * shell, so no user text is ever interpolated), a timeout, and a typed error
 * naming the command when git is missing or fails unexpectedly.
 */
import { NaxError } from "../errors";
import type { Spawner } from "../system/spawn";

export interface GitDeps {
  spawn: Spawner;
  /** The environment git runs with (PATH, HOME for its config). */
  env: Record<string, string | undefined>;
}

export interface GitOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface GitCallOptions {
  stdin?: string;
  /** Exit codes that are answers, not failures (e.g. 1 from `diff --quiet`). */
  okExitCodes?: number[];
  /** Config given to this call only (`-c key=value`). */
  config?: string[];
}

export type GitRunner = (cwd: string, args: string[], options?: GitCallOptions) => Promise<GitOutput>;

const GIT_TIMEOUT_MS = 120_000;

export function createGitRunner(deps: GitDeps): GitRunner {
  // Never let git stop and wait for a password or an editor: nax runs unattended.
  const env = { ...deps.env, GIT_TERMINAL_PROMPT: "0", GIT_EDITOR: "true" };
  return async (cwd, args, options = {}) => {
    const config = (options.config ?? []).flatMap((entry) => ["-c", entry]);
    const cmd = ["git", ...config, ...args];
    const result = await deps.spawn({
      cmd,
      cwd,
      env,
      timeoutMs: GIT_TIMEOUT_MS,
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    });
    const shown = `git ${args.join(" ")}`;
    if (result.kind === "not-found") {
      throw new NaxError("GIT_FAILED", `git is not installed or ${cwd} does not exist (${result.message})`, { cwd });
    }
    if (result.kind !== "exited") {
      throw new NaxError("GIT_FAILED", `${shown} did not finish (${result.kind}) in ${cwd}`, { cwd });
    }
    const ok = [0, ...(options.okExitCodes ?? [])];
    if (!ok.includes(result.exitCode)) {
      const detail = (result.stderr.trim() || result.stdout.trim()).slice(-2000);
      throw new NaxError("GIT_FAILED", `${shown} failed in ${cwd} (exit ${result.exitCode}): ${detail}`, {
        cwd,
        exitCode: result.exitCode,
      });
    }
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  };
}

/** Splits `-z` output into names. */
export function splitNul(text: string): string[] {
  return text.split("\0").filter((entry) => entry.length > 0);
}
