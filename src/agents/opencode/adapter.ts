/**
 * The opencode adapter: `opencode run --format json` headless with the prompt
 * on stdin (cli-session.ts runs it like Claude's: own group, timeouts, stall,
 * caps, redaction), any provider opencode knows (`--model provider/model`).
 * `--auto` approves its tools' permission prompts, since nobody is there to
 * answer one. opencode reports each step's cost: the session's cost is their
 * sum, as reported.
 */
import type { SpawnResult } from "../../system/spawn";
import type { Sys } from "../../system/sys";
import { buildAgentEnv } from "../agent-env";
import {
  AUTH_TEXT,
  classifySpawnEnd,
  failed,
  lastLine,
  RATE_LIMIT_TEXT,
  resultBase,
  runCliSession,
} from "../cli-session";
import { checkCliInstalled, runStatusCommand } from "../preflight";
import { parseResetTime } from "../reset-time";
import { type AgentAdapter, type AgentCapabilities, type AgentResult, refusedResult } from "../types";
import type { OpencodeConfig } from "./config";
import { OPENCODE_DECODER, type OpencodeSummary } from "./stream";

export const OPENCODE_INSTALL_FIX = "npm install -g opencode-ai";
export const OPENCODE_LOGIN_FIX =
  "log in with `opencode auth login`, or set the provider's key (e.g. ANTHROPIC_API_KEY)";
/** opencode speaks to many providers: their keys' prefixes pass, cloud credentials do not. */
const OPENCODE_ENV = {
  prefixes: [
    "LC_",
    "OPENCODE_",
    "ANTHROPIC_",
    "OPENAI_",
    "GEMINI_",
    "GOOGLE_GENERATIVE_AI_",
    "OPENROUTER_",
    "GROQ_",
    "XAI_",
    "MISTRAL_",
    "DEEPSEEK_",
    "NAX_",
    "XDG_",
  ],
};

export const OPENCODE_CAPABILITIES: AgentCapabilities = {
  reportsCost: true,
  reportsTokens: true,
  canResume: true,
  canRestrictEdits: false,
  hasOneShotCompletion: false,
};

export interface OpencodeAdapterDeps extends Partial<OpencodeConfig> {
  sys: Pick<Sys, "spawn" | "env" | "clock">;
  redact?: (text: string) => string;
  killGraceMs?: number;
  maxBufferBytes?: number;
}

export function buildOpencodeArgs(input: { command: string; model: string; extraArgs?: readonly string[] }): string[] {
  return [input.command, "run", "--format", "json", "--model", input.model, "--auto", ...(input.extraArgs ?? [])];
}

export function classifyOpencodeRun(input: {
  spawn: SpawnResult;
  summary: OpencodeSummary;
  command: string;
  now: number;
  timeoutMs: number;
  stallTimeoutMs: number;
}): AgentResult {
  const { spawn, summary } = input;
  const base = {
    ...resultBase(spawn, {
      inputTokens: summary.inputTokens,
      outputTokens: summary.outputTokens,
      numTurns: summary.steps,
      resultText: summary.lastText ?? "",
      ...(summary.sessionId ? { sessionId: summary.sessionId } : {}),
    }),
    costUsd: summary.costUsd,
    apiErrorStatus: summary.error?.statusCode ?? null,
  };
  const early = classifySpawnEnd(spawn, base, {
    label: "opencode CLI",
    command: input.command,
    installFix: OPENCODE_INSTALL_FIX,
    timeoutMs: input.timeoutMs,
    stallTimeoutMs: input.stallTimeoutMs,
  });
  if (early) return early;
  const exited = spawn as Extract<SpawnResult, { kind: "exited" }>;
  const error = summary.error;
  if (exited.exitCode === 0 && !error && summary.steps > 0) return { outcome: "success", ...base };
  const message = error ? `${error.name}: ${error.message}` : lastLine(exited.stderr);
  if (error?.statusCode === 429 || error?.statusCode === 529 || RATE_LIMIT_TEXT.test(message)) {
    const retryAfterMs = parseResetTime(message, input.now);
    return {
      ...failed("rate-limited", base, `opencode was rate limited: ${message}`),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (error?.statusCode === 401 || error?.name === "ProviderAuthError" || AUTH_TEXT.test(message)) {
    return failed("auth-error", base, `opencode could not authenticate (${message}). ${OPENCODE_LOGIN_FIX}.`);
  }
  if (message) return failed("error", base, `opencode reported an error: ${message}`);
  return failed("error", base, `opencode exited with code ${exited.exitCode} and finished no step.`);
}

/** `opencode auth list` counts stored credentials and provider keys in the env; none of either: not logged in. */
export function parseAuthList(output: string): "yes" | "no" | "unknown" {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the CLI colours its output
  const plain = output.replace(/\u001b\[[0-9;]*m/g, "");
  const counts = [...plain.matchAll(/(\d+)\s+(?:credentials?|environment variables?)/g)].map((m) => Number(m[1]));
  if (counts.length === 0) return "unknown";
  return counts.some((n) => n > 0) ? "yes" : "no";
}

export function createOpencodeAdapter(deps: OpencodeAdapterDeps): AgentAdapter {
  const { sys } = deps;
  const command = deps.command ?? "opencode";
  const redact = deps.redact ?? ((text: string) => text);
  const env = (tierEnv?: Record<string, string>) => buildAgentEnv(OPENCODE_ENV, sys.env, tierEnv);

  return {
    name: "opencode",
    capabilities: OPENCODE_CAPABILITIES,
    models: deps.models ?? {},
    isInstalled() {
      return checkCliInstalled(sys, {
        label: "opencode CLI",
        command,
        env: env(),
        installFix: OPENCODE_INSTALL_FIX,
        loginFix: OPENCODE_LOGIN_FIX,
        async login() {
          const status = await runStatusCommand(sys, [command, "auth", "list"], env());
          return status ? parseAuthList(status.output) : "unknown";
        },
      });
    },
    async run(options) {
      const { spawn, summary } = await runCliSession(
        sys,
        {
          argv: buildOpencodeArgs({ command, model: options.model, extraArgs: deps.extraArgs }),
          workdir: options.workdir,
          env: env(options.env),
          stdin: options.prompt,
          timeoutMs: options.timeoutMs,
          stallTimeoutMs: options.stallTimeoutMs,
          signal: options.signal,
          onProgress: options.onProgress,
          redact,
          killGraceMs: deps.killGraceMs,
          maxBufferBytes: deps.maxBufferBytes,
        },
        OPENCODE_DECODER,
      );
      return classifyOpencodeRun({ spawn, summary, command, now: sys.clock.now(), ...options });
    },
    async complete() {
      return refusedResult("the opencode adapter has no one-shot completion (opencode run is a full agent session)");
    },
  };
}
