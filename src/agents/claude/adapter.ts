/**
 * The Claude Code adapter: runs the real CLI headless through the one spawn
 * helper (own process group, SIGINT → grace → SIGKILL of the tree, wall and
 * stall timeouts, capped buffers), parses its stream-json as it arrives for
 * progress, and classifies the session into an `AgentResult`. With the
 * run's redactor, the prompt and everything the CLI prints are redacted
 * before they are parsed, cut to a progress line or a stderr tail, or
 * classified (trap 30, docs/traps.md): a cut would leave a fragment of a
 * secret no later redaction recognises.
 */
import type { Sys } from "../../system/sys";
import type { AgentAdapter, AgentCapabilities, AgentInstallCheck, AgentResult, AgentRunOptions } from "../types";
import { buildClaudeArgs, type ClaudePermissionMode } from "./args";
import { classifyClaudeRun } from "./classify";
import { buildClaudeEnv } from "./env";
import { checkClaudeInstalled } from "./preflight";
import {
  type ClaudeStreamSummary,
  emptyStreamSummary,
  parseStreamLine,
  progressOf,
  reduceStream,
  streamUsage,
} from "./stream-parser";

export interface ClaudeAdapterDeps {
  sys: Pick<Sys, "spawn" | "env" | "clock">;
  /** The executable: `claude` on PATH by default. */
  command?: string;
  extraArgs?: readonly string[];
  /** Between SIGINT and SIGKILL; the CLI cleans its tool children up on SIGINT within ~150 ms. */
  killGraceMs?: number;
  /** Bytes of stdout/stderr kept in memory per session (trap 26). */
  maxBufferBytes?: number;
  /** The run's redactor (`createRedactor(...).text`); none: nothing is redacted. */
  redact?: (text: string) => string;
  /** Coding sessions' permission mode (`agents.claude.permissionMode`); default bypassPermissions. */
  permissionMode?: ClaudePermissionMode;
  /** Tier → model (`agents.claude.models`). */
  models?: Readonly<Record<string, string>>;
}

export const CLAUDE_CAPABILITIES: AgentCapabilities = {
  reportsCost: true,
  reportsTokens: true,
  canResume: true,
  canRestrictEdits: true,
  hasOneShotCompletion: true,
};

const DEFAULT_KILL_GRACE_MS = 2000;
const DEFAULT_MAX_BUFFER = 1024 * 1024;

interface SessionInput {
  prompt: string;
  workdir: string;
  model: string;
  env?: Record<string, string>;
  timeoutMs: number;
  stallTimeoutMs: number;
  signal?: AbortSignal;
  permissionMode?: ClaudePermissionMode;
  maxTurns?: number;
  onProgress?: AgentRunOptions["onProgress"];
}

export function createClaudeAdapter(deps: ClaudeAdapterDeps): AgentAdapter {
  const { sys } = deps;
  const command = deps.command ?? "claude";
  const redact = deps.redact ?? ((text: string) => text);

  async function session(input: SessionInput): Promise<AgentResult> {
    let stream: ClaudeStreamSummary = emptyStreamSummary();
    const spawn = await sys.spawn({
      cmd: buildClaudeArgs({
        command,
        model: input.model,
        permissionMode: input.permissionMode,
        maxTurns: input.maxTurns,
        extraArgs: deps.extraArgs,
      }),
      cwd: input.workdir,
      env: buildClaudeEnv(sys.env, input.env),
      stdin: redact(input.prompt),
      timeoutMs: input.timeoutMs,
      stallTimeoutMs: input.stallTimeoutMs,
      signal: input.signal,
      stopSignal: "SIGINT",
      // If nax is killed outright, the kernel ends the session: an orphaned agent would go on spending.
      dieWithParent: true,
      killGraceMs: deps.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
      maxBufferBytes: deps.maxBufferBytes ?? DEFAULT_MAX_BUFFER,
      onStdoutLine(line) {
        for (const event of parseStreamLine(redact(line))) {
          const before = streamUsage(stream);
          stream = reduceStream(stream, event);
          const progress = progressOf(event);
          if (progress) input.onProgress?.(progress);
          const usage = streamUsage(stream);
          if (usage.inputTokens !== before.inputTokens || usage.outputTokens !== before.outputTokens) {
            input.onProgress?.({ kind: "usage", detail: `${usage.inputTokens + usage.outputTokens} tokens`, usage });
          }
        }
      },
    });
    return classifyClaudeRun({
      spawn:
        spawn.kind === "not-found" ? spawn : { ...spawn, stdout: redact(spawn.stdout), stderr: redact(spawn.stderr) },
      stream,
      command,
      now: sys.clock.now(),
      timeoutMs: input.timeoutMs,
      stallTimeoutMs: input.stallTimeoutMs,
    });
  }

  return {
    name: "claude",
    capabilities: CLAUDE_CAPABILITIES,
    models: deps.models ?? { fast: "haiku", balanced: "sonnet", powerful: "opus" },

    isInstalled(): Promise<AgentInstallCheck> {
      return checkClaudeInstalled(sys, command);
    },

    run(options) {
      return session({ ...options, permissionMode: deps.permissionMode ?? "bypassPermissions" });
    },

    complete(prompt, options) {
      // One turn, no tools wanted: the CLI's default permission mode denies tools in -p without
      // needing --dangerously-skip-permissions, which root would refuse without IS_SANDBOX.
      return session({
        prompt,
        workdir: options.workdir,
        model: options.model,
        timeoutMs: options.timeoutMs,
        stallTimeoutMs: options.timeoutMs,
        signal: options.signal,
        maxTurns: 1,
      });
    },
  };
}
