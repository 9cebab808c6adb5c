/**
 * Before any story starts, and for `nax agents`: is an agent CLI there, which
 * version, and is it logged in? `<cli> --version` answers the first two; each
 * adapter's own `login` answers the last without a model call (a status
 * command, its env keys, its credentials file), or says "unknown".
 */
import type { Sys } from "../system/sys";
import type { AgentInstallCheck } from "./types";

/** Generous: a Node or Bun CLI's first start on a busy machine was measured at 12-17 s. */
export const PREFLIGHT_TIMEOUT_MS = 60_000;

export interface CliPreflight {
  label: string;
  command: string;
  env: Record<string, string>;
  installFix: string;
  loginFix: string;
  login: () => Promise<"yes" | "no" | "unknown">;
}

export async function checkCliInstalled(sys: Pick<Sys, "spawn">, cli: CliPreflight): Promise<AgentInstallCheck> {
  // The login question runs alongside (a status command is a second CLI start); it is read only once the
  // version answered, and awaited whatever the version said, so no check outlives this one.
  const [version, asked] = await Promise.all([
    sys.spawn({ cmd: [cli.command, "--version"], cwd: process.cwd(), env: cli.env, timeoutMs: PREFLIGHT_TIMEOUT_MS }),
    cli.login().then(
      (answer) => ({ answer }),
      (error: unknown) => ({ error }),
    ),
  ]);
  if (version.kind === "not-found") {
    return { ok: false, installed: false, fix: cli.installFix, message: `${cli.label} not found ("${cli.command}").` };
  }
  const number = version.kind === "exited" ? /\d+\.\d+\.\d+[^\s]*/.exec(version.stdout)?.[0] : undefined;
  if (version.kind !== "exited" || version.exitCode !== 0 || !number) {
    const detail =
      version.kind === "exited"
        ? `exited with code ${version.exitCode}${version.stderr.trim() ? `: ${version.stderr.trim().slice(-300)}` : ""}`
        : `did not answer within ${PREFLIGHT_TIMEOUT_MS / 1000} s`;
    return { ok: false, installed: true, fix: cli.installFix, message: `"${cli.command} --version" ${detail}` };
  }
  if ("error" in asked) throw asked.error;
  const loginState = asked.answer;
  if (loginState === "no") {
    return {
      ok: false,
      installed: true,
      version: number,
      login: loginState,
      fix: cli.loginFix,
      message: `the ${cli.label} ${number} is not logged in`,
    };
  }
  return { ok: true, installed: true, version: number, login: loginState };
}

/** Runs a local status command (no model call): its exit code and output. */
export async function runStatusCommand(
  sys: Pick<Sys, "spawn">,
  argv: string[],
  env: Record<string, string>,
): Promise<{ exitCode: number; output: string } | undefined> {
  const result = await sys.spawn({ cmd: argv, cwd: process.cwd(), env, timeoutMs: PREFLIGHT_TIMEOUT_MS });
  if (result.kind !== "exited") return undefined;
  return { exitCode: result.exitCode, output: `${result.stdout}\n${result.stderr}` };
}
