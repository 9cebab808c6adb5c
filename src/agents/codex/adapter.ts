/**
 * The Codex CLI adapter: `codex exec --json` headless (cli-session.ts runs it
 * like Claude's: own group, timeouts, stall, caps, redaction), its JSON lines
 * decoded (stream.ts) and the session classified here. Codex reports tokens
 * and no cost: the cost is tokens × `agents.codex.pricing`, marked estimated,
 * and a model with no price is refused before anything runs (its cost could
 * not count against the limit).
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
import { checkCliInstalled, runStatusCommand } from "../preflight";
import { parseResetTime } from "../reset-time";
import { type AgentAdapter, type AgentCapabilities, type AgentResult, refusedResult } from "../types";
import { buildCodexArgs } from "./args";
import type { CodexConfig } from "./config";
import { CODEX_DECODER, type CodexSummary } from "./stream";

export const CODEX_INSTALL_FIX = "npm install -g @openai/codex";
export const CODEX_LOGIN_FIX = "log in with `codex login` (or `printenv OPENAI_API_KEY | codex login --with-api-key`)";
const CODEX_ENV = { prefixes: ["LC_", "OPENAI_", "CODEX_", "NAX_", "XDG_"] };

export const CODEX_CAPABILITIES: AgentCapabilities = {
  reportsCost: false,
  reportsTokens: true,
  canResume: true,
  canRestrictEdits: true,
  hasOneShotCompletion: false,
};

export interface CodexAdapterDeps extends Partial<CodexConfig> {
  sys: Pick<Sys, "spawn" | "env" | "clock">;
  redact?: (text: string) => string;
  killGraceMs?: number;
  maxBufferBytes?: number;
}

export function classifyCodexRun(input: {
  spawn: SpawnResult;
  summary: CodexSummary;
  command: string;
  now: number;
  timeoutMs: number;
  stallTimeoutMs: number;
}): AgentResult {
  const { spawn, summary } = input;
  const base = resultBase(spawn, {
    inputTokens: summary.inputTokens,
    outputTokens: summary.outputTokens,
    numTurns: summary.turnsCompleted,
    resultText: summary.lastText ?? "",
    ...(summary.threadId ? { sessionId: summary.threadId } : {}),
  });
  const early = classifySpawnEnd(spawn, base, {
    label: "Codex CLI",
    command: input.command,
    installFix: CODEX_INSTALL_FIX,
    timeoutMs: input.timeoutMs,
    stallTimeoutMs: input.stallTimeoutMs,
  });
  if (early) return early;
  const exited = spawn as Extract<SpawnResult, { kind: "exited" }>;
  if (exited.exitCode === 0 && summary.turnsCompleted > 0 && !summary.turnFailed)
    return { outcome: "success", ...base };
  const message = summary.turnFailed ?? summary.lastError ?? lastLine(exited.stderr);
  if (RATE_LIMIT_TEXT.test(message)) {
    const retryAfterMs = parseResetTime(message, input.now);
    return {
      ...failed("rate-limited", base, `Codex was rate limited: ${message}`),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (AUTH_TEXT.test(`${message}\n${exited.stderr.slice(-2000)}`)) {
    return failed(
      "auth-error",
      base,
      `Codex could not authenticate (${message || "not logged in"}). ${CODEX_LOGIN_FIX}.`,
    );
  }
  if (message) return failed("error", base, `Codex reported an error: ${message}`);
  return failed("error", base, `Codex exited with code ${exited.exitCode} and reported no completed turn.`);
}

export function createCodexAdapter(deps: CodexAdapterDeps): AgentAdapter {
  const { sys } = deps;
  const command = deps.command ?? "codex";
  const redact = deps.redact ?? ((text: string) => text);
  const pricing: Record<string, Price> = deps.pricing ?? {};
  const models = deps.models ?? {};
  const env = (tierEnv?: Record<string, string>) => buildAgentEnv(CODEX_ENV, sys.env, tierEnv);

  return {
    name: "codex",
    capabilities: CODEX_CAPABILITIES,
    models,
    isInstalled() {
      return checkCliInstalled(sys, {
        label: "Codex CLI",
        command,
        env: env(),
        installFix: CODEX_INSTALL_FIX,
        loginFix: CODEX_LOGIN_FIX,
        async login() {
          const status = await runStatusCommand(sys, [command, "login", "status"], env());
          if (status?.exitCode === 0) return "yes";
          // `codex exec` also takes CODEX_API_KEY / OPENAI_API_KEY from the env, which `login status` does not count.
          if (sys.env.CODEX_API_KEY || sys.env.OPENAI_API_KEY) return "unknown";
          return status && /not logged in/i.test(status.output) ? "no" : "unknown";
        },
      });
    },
    async run(options) {
      if (estimateCost(pricing, options.model, { inputTokens: 0, outputTokens: 0 }) === undefined) {
        return refusedResult(unpricedReason("codex", options.model));
      }
      const { spawn, summary } = await runCliSession(
        sys,
        {
          argv: buildCodexArgs({
            command,
            model: options.model,
            workdir: options.workdir,
            sandbox: deps.sandbox ?? "workspace-write",
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
        CODEX_DECODER,
      );
      const result = classifyCodexRun({ spawn, summary, command, now: sys.clock.now(), ...options });
      return { ...result, costUsd: estimateCost(pricing, options.model, result) ?? 0, costEstimated: true };
    },
    async complete() {
      return refusedResult("the codex adapter has no one-shot completion (codex exec is a full agent session)");
    },
  };
}
