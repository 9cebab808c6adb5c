/**
 * The Gemini CLI adapter: `gemini -p … --output-format stream-json` headless
 * (cli-session.ts runs it like Claude's: own group, timeouts, stall, caps,
 * redaction). The prompt goes on stdin; `-p` carries one line the CLI
 * appends to it, since -p is what makes the session non-interactive.
 * `--skip-trust` because a story's worktree is a folder the user never
 * trusted interactively. Gemini CLI reports tokens and no cost: the cost is
 * tokens × `agents.gemini.pricing`, marked estimated; a model with no price is
 * refused before anything runs.
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
import { estimateCost, type Price, unpricedReason } from "../config-parts";
import { checkCliInstalled } from "../preflight";
import { parseResetTime } from "../reset-time";
import { type AgentAdapter, type AgentCapabilities, type AgentResult, refusedResult } from "../types";
import type { GeminiConfig } from "./config";
import { GEMINI_DECODER, type GeminiSummary } from "./stream";

export const GEMINI_INSTALL_FIX = "npm install -g @google/gemini-cli";
export const GEMINI_LOGIN_FIX = "run `gemini` once and sign in with Google, or set GEMINI_API_KEY";
const GEMINI_ENV = { prefixes: ["LC_", "GEMINI_", "GOOGLE_", "NAX_", "XDG_"] };
/** The one line after the stdin prompt: -p is what makes gemini headless. */
export const GEMINI_PROMPT_SUFFIX = "Carry out the task above.";
/** Exit code of the CLI's FatalAuthenticationError. */
const AUTH_EXIT = 41;

export const GEMINI_CAPABILITIES: AgentCapabilities = {
  reportsCost: false,
  reportsTokens: true,
  canResume: true,
  canRestrictEdits: true,
  hasOneShotCompletion: false,
};

export interface GeminiAdapterDeps extends Partial<GeminiConfig> {
  sys: Pick<Sys, "spawn" | "env" | "clock" | "fs">;
  redact?: (text: string) => string;
  killGraceMs?: number;
  maxBufferBytes?: number;
}

export function buildGeminiArgs(input: {
  command: string;
  model: string;
  approvalMode: GeminiConfig["approvalMode"];
  extraArgs?: readonly string[];
}): string[] {
  return [
    input.command,
    "--output-format",
    "stream-json",
    "--model",
    input.model,
    "--approval-mode",
    input.approvalMode,
    "--skip-trust",
    ...(input.extraArgs ?? []),
    "--prompt",
    GEMINI_PROMPT_SUFFIX,
  ];
}

export function classifyGeminiRun(input: {
  spawn: SpawnResult;
  summary: GeminiSummary;
  command: string;
  now: number;
  timeoutMs: number;
  stallTimeoutMs: number;
}): AgentResult {
  const { spawn, summary } = input;
  const result = summary.result;
  const base = resultBase(spawn, {
    inputTokens: result?.inputTokens ?? 0,
    outputTokens: result?.outputTokens ?? 0,
    numTurns: summary.toolCalls + (result ? 1 : 0),
    resultText: summary.lastText,
    ...(summary.sessionId ? { sessionId: summary.sessionId } : {}),
  });
  const early = classifySpawnEnd(spawn, base, {
    label: "Gemini CLI",
    command: input.command,
    installFix: GEMINI_INSTALL_FIX,
    timeoutMs: input.timeoutMs,
    stallTimeoutMs: input.stallTimeoutMs,
  });
  if (early) return early;
  const exited = spawn as Extract<SpawnResult, { kind: "exited" }>;
  if (exited.exitCode === 0 && result?.status === "success") return { outcome: "success", ...base };
  const message = result?.errorMessage ?? summary.lastError ?? lastLine(exited.stderr);
  if (RATE_LIMIT_TEXT.test(message)) {
    const retryAfterMs = parseResetTime(message, input.now);
    return {
      ...failed("rate-limited", base, `Gemini CLI was rate limited: ${message}`),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (exited.exitCode === AUTH_EXIT || /auth/i.test(result?.errorType ?? "") || AUTH_TEXT.test(message)) {
    return failed(
      "auth-error",
      base,
      `Gemini CLI could not authenticate (${message || "not signed in"}). ${GEMINI_LOGIN_FIX}.`,
    );
  }
  if (message)
    return failed(
      "error",
      base,
      `Gemini CLI reported an error${result?.errorType ? ` (${result.errorType})` : ""}: ${message}`,
    );
  return failed("error", base, `Gemini CLI exited with code ${exited.exitCode} and printed no result event.`);
}

export function createGeminiAdapter(deps: GeminiAdapterDeps): AgentAdapter {
  const { sys } = deps;
  const command = deps.command ?? "gemini";
  const redact = deps.redact ?? ((text: string) => text);
  const pricing: Record<string, Price> = deps.pricing ?? {};
  const env = (tierEnv?: Record<string, string>) => buildAgentEnv(GEMINI_ENV, sys.env, tierEnv);

  return {
    name: "gemini",
    capabilities: GEMINI_CAPABILITIES,
    models: deps.models ?? {},
    isInstalled() {
      return checkCliInstalled(sys, {
        label: "Gemini CLI",
        command,
        env: env(),
        installFix: GEMINI_INSTALL_FIX,
        loginFix: GEMINI_LOGIN_FIX,
        // No status command: a key in the env, or the credentials a Google sign-in leaves, is a login.
        async login() {
          const e = sys.env;
          if (e.GEMINI_API_KEY || e.GOOGLE_API_KEY || e.GOOGLE_GENAI_USE_VERTEXAI || e.GOOGLE_GEMINI_BASE_URL)
            return "yes";
          if (e.HOME && (await sys.fs.exists(`${e.HOME}/.gemini/oauth_creds.json`))) return "yes";
          return "no";
        },
      });
    },
    async run(options) {
      if (estimateCost(pricing, options.model, { inputTokens: 0, outputTokens: 0 }) === undefined) {
        return refusedResult(unpricedReason("gemini", options.model));
      }
      const { spawn, summary } = await runCliSession(
        sys,
        {
          argv: buildGeminiArgs({
            command,
            model: options.model,
            approvalMode: deps.approvalMode ?? "yolo",
            extraArgs: deps.extraArgs,
          }),
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
        GEMINI_DECODER,
      );
      const result = classifyGeminiRun({ spawn, summary, command, now: sys.clock.now(), ...options });
      return { ...result, costUsd: estimateCost(pricing, options.model, result) ?? 0, costEstimated: true };
    },
    async complete() {
      return refusedResult("the gemini adapter has no one-shot completion (gemini -p is a full agent session)");
    },
  };
}
