/**
 * One headless session of an agent CLI other than Claude's, run the way the
 * Claude adapter runs its own: through the one spawn helper (own process
 * group, SIGINT → grace → SIGKILL of the tree, wall and stall timeouts,
 * capped buffers, killed with nax), the prompt and every line redacted before
 * they are parsed (trap 30), each stdout line decoded by the adapter's own
 * JSON-lines decoder as it arrives. What the spawn helper alone can tell
 * (not installed, stopped, timed out, stalled) is classified here, the same
 * for every CLI; an exited session is the adapter's to judge.
 */
import type { SpawnResult } from "../system/spawn";
import type { Sys } from "../system/sys";
import type { AgentOutcome, AgentProgress, AgentResult } from "./types";

export interface LineDecoder<S> {
  initial(): S;
  /** One stdout line in: the next summary, and what the status line should hear of it. */
  feed(summary: S, line: string): { summary: S; progress?: AgentProgress };
  /** Tokens so far, as the CLI reported them. */
  usage(summary: S): { inputTokens: number; outputTokens: number };
}

export interface CliSessionInput {
  argv: string[];
  workdir: string;
  env: Record<string, string>;
  /** The prompt, written to stdin (argv breaks past 128 KiB). */
  stdin: string;
  timeoutMs: number;
  stallTimeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: AgentProgress) => void;
  redact: (text: string) => string;
  killGraceMs?: number;
  maxBufferBytes?: number;
}

const DEFAULT_KILL_GRACE_MS = 2000;
const DEFAULT_MAX_BUFFER = 1024 * 1024;
const STDERR_TAIL = 2000;

export async function runCliSession<S>(
  sys: Pick<Sys, "spawn">,
  input: CliSessionInput,
  decoder: LineDecoder<S>,
): Promise<{ spawn: SpawnResult; summary: S }> {
  let summary = decoder.initial();
  const spawn = await sys.spawn({
    cmd: input.argv,
    cwd: input.workdir,
    env: input.env,
    stdin: input.redact(input.stdin),
    timeoutMs: input.timeoutMs,
    stallTimeoutMs: input.stallTimeoutMs,
    signal: input.signal,
    stopSignal: "SIGINT",
    // If nax is killed outright, the kernel ends the session: an orphaned agent would go on spending.
    dieWithParent: true,
    killGraceMs: input.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    maxBufferBytes: input.maxBufferBytes ?? DEFAULT_MAX_BUFFER,
    onStdoutLine(line) {
      const before = decoder.usage(summary);
      const next = decoder.feed(summary, input.redact(line));
      summary = next.summary;
      if (next.progress) input.onProgress?.(next.progress);
      const usage = decoder.usage(summary);
      if (usage.inputTokens !== before.inputTokens || usage.outputTokens !== before.outputTokens) {
        input.onProgress?.({ kind: "usage", detail: `${usage.inputTokens + usage.outputTokens} tokens`, usage });
      }
    },
  });
  const redacted: SpawnResult =
    spawn.kind === "not-found"
      ? spawn
      : { ...spawn, stdout: input.redact(spawn.stdout), stderr: input.redact(spawn.stderr) };
  return { spawn: redacted, summary };
}

/** What every result carries, from the spawn and the decoded stream. */
export function resultBase(
  spawn: SpawnResult,
  fields: { inputTokens: number; outputTokens: number; numTurns: number; resultText: string; sessionId?: string },
): Omit<AgentResult, "outcome"> {
  const captured = spawn.kind === "not-found" ? undefined : spawn;
  return {
    costUsd: 0,
    inputTokens: fields.inputTokens,
    outputTokens: fields.outputTokens,
    durationMs: captured?.durationMs ?? 0,
    numTurns: fields.numTurns,
    ...(fields.sessionId ? { sessionId: fields.sessionId } : {}),
    resultText: fields.resultText,
    exitCode: captured?.exitCode ?? null,
    apiErrorStatus: null,
    permissionDenials: 0,
    stderrTail: (captured?.stderr ?? "").slice(-STDERR_TAIL),
  };
}

export function failed(outcome: AgentOutcome, base: Omit<AgentResult, "outcome">, error: string): AgentResult {
  return { outcome, ...base, error };
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** The outcomes the spawn helper alone decides; undefined for a session that exited on its own. */
export function classifySpawnEnd(
  spawn: SpawnResult,
  base: Omit<AgentResult, "outcome">,
  cli: { label: string; command: string; installFix: string; timeoutMs: number; stallTimeoutMs: number },
): AgentResult | undefined {
  switch (spawn.kind) {
    case "not-found":
      return failed(
        "not-found",
        base,
        `The ${cli.label} was not found ("${cli.command}": ${spawn.message}). Install it with: ${cli.installFix}`,
      );
    case "aborted":
      return failed("aborted", base, "The agent session was stopped by nax before it finished.");
    case "timeout":
      return spawn.reason === "wall"
        ? failed(
            "timeout",
            base,
            `The agent session ran past its ${seconds(cli.timeoutMs)} wall-clock limit and was stopped.`,
          )
        : failed(
            "stalled",
            base,
            `The agent printed nothing for its ${seconds(cli.stallTimeoutMs)} stall limit and was stopped.`,
          );
    case "exited":
      return undefined;
  }
}

/** The last non-empty line of a text, cut to a sentence's length. */
export function lastLine(text: string): string {
  const lines = text.trim().split("\n").filter(Boolean);
  return (lines[lines.length - 1] ?? "").slice(0, 300);
}

type Json = Record<string, unknown>;
export const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;
export const num = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;
export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** One JSON object per line; anything else (a stray log line) is undefined, never a throw. */
export function parseJsonLine(line: string): Json | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const raw: unknown = JSON.parse(trimmed);
    return isObject(raw) ? raw : undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** A rate limit or quota, in the words the CLIs and their APIs use. */
export const RATE_LIMIT_TEXT =
  /\b429\b|rate[ _-]?limit|too many requests|resource[_ ]exhausted|quota exceeded|usage limit|overloaded/i;
/** An authentication failure, in the same words. */
export const AUTH_TEXT =
  /\b401\b|unauthori[sz]ed|invalid[_ ]api[_ ]key|api key not valid|not logged in|authentication|please (?:run )?.*login/i;
