/**
 * Running one hook: spawn helper, own process group, a timeout, output kept
 * small. Every outcome other than exit 0 becomes a warning naming the hook
 * and the file it came from; nothing here throws into the run.
 */
import { errorMessage } from "../errors";
import type { Logger } from "../logger/logger";
import type { Spawner } from "../system/spawn";
import type { ResolvedHook } from "./hooks-load";

/** Hooks are notifications: a short grace after SIGTERM is enough. */
const HOOK_KILL_GRACE_MS = 1000;
const HOOK_OUTPUT_BYTES = 16 * 1024;

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  const last = lines[lines.length - 1] ?? "";
  return last.length > 200 ? `${last.slice(0, 200)}…` : last;
}

export async function runHook(
  deps: { spawn: Spawner; workdir: string; logger: Logger },
  hook: ResolvedHook,
  env: Record<string, string | undefined>,
  stdin: string,
): Promise<void> {
  const label = `hook ${hook.name} (${hook.command[0]} from ${hook.source})`;
  const fields = { data: { hook: hook.name, source: hook.source } };
  try {
    const result = await deps.spawn({
      cmd: hook.command,
      cwd: deps.workdir,
      env,
      stdin,
      timeoutMs: hook.timeoutMs,
      stopSignal: "SIGTERM",
      killGraceMs: HOOK_KILL_GRACE_MS,
      maxBufferBytes: HOOK_OUTPUT_BYTES,
    });
    switch (result.kind) {
      case "exited": {
        if (result.exitCode === 0) {
          deps.logger.debug(`${label} ran in ${result.durationMs}ms`, fields);
          return;
        }
        const detail = lastLine(result.stderr) || lastLine(result.stdout);
        deps.logger.warn(`${label} exited with code ${result.exitCode}${detail ? `: ${detail}` : ""}`, fields);
        return;
      }
      case "timeout":
        deps.logger.warn(`${label} was stopped after ${hook.timeoutMs}ms (timeoutMs); the run goes on`, fields);
        return;
      case "aborted":
        deps.logger.warn(`${label} was aborted`, fields);
        return;
      case "not-found":
        deps.logger.warn(`${label} could not start: ${result.message}`, fields);
        return;
      default: {
        const unreachable: never = result;
        throw new Error(`unknown spawn result ${JSON.stringify(unreachable)}`);
      }
    }
  } catch (error) {
    // An unexpected spawn failure (e.g. a bad cwd) is still only a broken hook, not a broken run.
    deps.logger.warn(`${label} failed to run: ${errorMessage(error)}`, fields);
  }
}
