/**
 * Pure decoding of the CLI's `--output-format stream-json --verbose` NDJSON:
 * one line in, typed events out, and a reducer that keeps the little a run
 * needs (session, last text, retries, the final result). Unknown or broken
 * lines are counted, never thrown.
 */
import type { AgentProgress } from "../types";

export interface ClaudeApiRetry {
  attempt: number;
  maxRetries?: number;
  errorStatus: number | null;
  retryDelayMs?: number;
  /** The CLI's error tag, e.g. `rate_limit`, `overloaded`, `server_error`, `authentication_failed`. */
  error?: string;
}

export interface ClaudeResultEvent {
  subtype: string;
  /** Anything but an explicit `false` counts as an error. */
  isError: boolean;
  apiErrorStatus: number | null;
  durationMs: number;
  numTurns: number;
  /** `result`, or "" when the CLI sent null. */
  result: string;
  sessionId?: string;
  /** Absent when the CLI did not report it: never estimated. */
  totalCostUsd?: number;
  inputTokens: number;
  outputTokens: number;
  permissionDenials: number;
  errors: string[];
  terminalReason?: string;
}

export type ClaudeStreamEvent =
  | { kind: "init"; sessionId?: string; model?: string; version?: string }
  | { kind: "text"; text: string; error?: string }
  | { kind: "tool-use"; name: string; summary: string }
  | { kind: "tool-result"; isError: boolean }
  | { kind: "api-retry"; retry: ClaudeApiRetry }
  /** An assistant message's token usage so far (the CLI repeats the message, and its usage, once per content block). */
  | { kind: "usage"; messageId: string; inputTokens: number; outputTokens: number }
  | { kind: "result"; result: ClaudeResultEvent }
  | { kind: "other"; type: string }
  | { kind: "unparsed"; line: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;
const num = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Input tokens of a usage object: cached input is input the model processed too; the CLI reports it apart. */
function inputTokensOf(usage: Json): number {
  return (
    (num(usage.input_tokens) ?? 0) +
    (num(usage.cache_creation_input_tokens) ?? 0) +
    (num(usage.cache_read_input_tokens) ?? 0)
  );
}

function parseResult(raw: Json): ClaudeResultEvent {
  const usage = isObject(raw.usage) ? raw.usage : {};
  const inputTokens = inputTokensOf(usage);
  const cost = num(raw.total_cost_usd);
  return {
    subtype: str(raw.subtype) ?? "",
    isError: raw.is_error !== false,
    apiErrorStatus: num(raw.api_error_status) ?? null,
    durationMs: num(raw.duration_ms) ?? 0,
    numTurns: num(raw.num_turns) ?? 0,
    result: str(raw.result) ?? "",
    ...(str(raw.session_id) ? { sessionId: str(raw.session_id) } : {}),
    ...(cost === undefined ? {} : { totalCostUsd: cost }),
    inputTokens,
    outputTokens: num(usage.output_tokens) ?? 0,
    permissionDenials: Array.isArray(raw.permission_denials) ? raw.permission_denials.length : 0,
    errors: Array.isArray(raw.errors) ? raw.errors.filter((e): e is string => typeof e === "string") : [],
    ...(str(raw.terminal_reason) ? { terminalReason: str(raw.terminal_reason) } : {}),
  };
}

function toolSummary(name: string, input: unknown): string {
  const fields = isObject(input) ? input : {};
  const target = str(fields.file_path) ?? str(fields.command) ?? str(fields.pattern) ?? str(fields.description);
  if (!target) return name;
  const oneLine = target.replace(/\s+/g, " ").trim();
  return `${name} ${oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine}`;
}

function parseAssistant(raw: Json): ClaudeStreamEvent[] {
  const message = isObject(raw.message) ? raw.message : {};
  const content = Array.isArray(message.content) ? message.content : [];
  const error = str(raw.error);
  const events: ClaudeStreamEvent[] = [];
  const id = str(message.id);
  if (id && isObject(message.usage)) {
    const usage = message.usage;
    events.push({
      kind: "usage",
      messageId: id,
      inputTokens: inputTokensOf(usage),
      outputTokens: num(usage.output_tokens) ?? 0,
    });
  }
  for (const block of content) {
    if (!isObject(block)) continue;
    if (block.type === "text" && typeof block.text === "string") {
      events.push({ kind: "text", text: block.text, ...(error ? { error } : {}) });
    } else if (block.type === "tool_use") {
      const name = str(block.name) ?? "tool";
      events.push({ kind: "tool-use", name, summary: toolSummary(name, block.input) });
    }
  }
  return events;
}

function parseUser(raw: Json): ClaudeStreamEvent[] {
  const message = isObject(raw.message) ? raw.message : {};
  const content = Array.isArray(message.content) ? message.content : [];
  return content
    .filter((block): block is Json => isObject(block) && block.type === "tool_result")
    .map((block) => ({ kind: "tool-result" as const, isError: block.is_error === true }));
}

function parseSystem(raw: Json): ClaudeStreamEvent {
  if (raw.subtype === "init") {
    const init: ClaudeStreamEvent = { kind: "init" };
    if (str(raw.session_id)) init.sessionId = str(raw.session_id);
    if (str(raw.model)) init.model = str(raw.model);
    if (str(raw.claude_code_version)) init.version = str(raw.claude_code_version);
    return init;
  }
  if (raw.subtype === "api_retry") {
    const retry: ClaudeApiRetry = { attempt: num(raw.attempt) ?? 0, errorStatus: num(raw.error_status) ?? null };
    if (num(raw.max_retries) !== undefined) retry.maxRetries = num(raw.max_retries);
    if (num(raw.retry_delay_ms) !== undefined) retry.retryDelayMs = Math.round(num(raw.retry_delay_ms) ?? 0);
    if (str(raw.error)) retry.error = str(raw.error);
    return { kind: "api-retry", retry };
  }
  return { kind: "other", type: `system/${str(raw.subtype) ?? "?"}` };
}

/** Decodes one NDJSON line; an empty line yields nothing. */
export function parseStreamLine(line: string): ClaudeStreamEvent[] {
  const trimmed = line.trim();
  if (trimmed === "") return [];
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed);
  } catch (error) {
    // Not JSON (a stray log line): kept as data so the classifier can count it.
    if (error instanceof SyntaxError) return [{ kind: "unparsed", line: trimmed.slice(0, 500) }];
    throw error;
  }
  if (!isObject(raw) || typeof raw.type !== "string") return [{ kind: "unparsed", line: trimmed.slice(0, 500) }];
  switch (raw.type) {
    case "system":
      return [parseSystem(raw)];
    case "assistant":
      return parseAssistant(raw);
    case "user":
      return parseUser(raw);
    case "result":
      return [{ kind: "result", result: parseResult(raw) }];
    default:
      return [{ kind: "other", type: raw.type }];
  }
}

export interface ClaudeStreamSummary {
  events: number;
  unparsedLines: number;
  sessionId?: string;
  model?: string;
  version?: string;
  lastText?: string;
  /** The `error` tag of the last assistant message that carried one (e.g. `rate_limit`). */
  lastAssistantError?: string;
  toolUses: number;
  retries: number;
  lastRetry?: ClaudeApiRetry;
  result?: ClaudeResultEvent;
  /** Tokens of the assistant messages before the current one, summed. */
  usageBefore: { inputTokens: number; outputTokens: number };
  /** The current assistant message's usage (its latest report). */
  usageCurrent?: { messageId: string; inputTokens: number; outputTokens: number };
}

export function emptyStreamSummary(): ClaudeStreamSummary {
  return { events: 0, unparsedLines: 0, toolUses: 0, retries: 0, usageBefore: { inputTokens: 0, outputTokens: 0 } };
}

/** The session's tokens so far, as the stream reported them: nothing estimated. */
export function streamUsage(summary: ClaudeStreamSummary): { inputTokens: number; outputTokens: number } {
  const current = summary.usageCurrent;
  return {
    inputTokens: summary.usageBefore.inputTokens + (current?.inputTokens ?? 0),
    outputTokens: summary.usageBefore.outputTokens + (current?.outputTokens ?? 0),
  };
}

function addUsage(summary: ClaudeStreamSummary, event: Extract<ClaudeStreamEvent, { kind: "usage" }>) {
  const current = summary.usageCurrent;
  const { kind: _kind, ...usage } = event;
  if (!current || current.messageId === event.messageId) return { ...summary, usageCurrent: usage };
  return {
    ...summary,
    usageBefore: {
      inputTokens: summary.usageBefore.inputTokens + current.inputTokens,
      outputTokens: summary.usageBefore.outputTokens + current.outputTokens,
    },
    usageCurrent: usage,
  };
}

export function reduceStream(summary: ClaudeStreamSummary, event: ClaudeStreamEvent): ClaudeStreamSummary {
  const next = { ...summary, events: summary.events + 1 };
  switch (event.kind) {
    case "init":
      return { ...next, sessionId: event.sessionId ?? next.sessionId, model: event.model, version: event.version };
    case "text":
      return { ...next, lastText: event.text, lastAssistantError: event.error ?? next.lastAssistantError };
    case "tool-use":
      return { ...next, toolUses: next.toolUses + 1 };
    case "api-retry":
      return { ...next, retries: next.retries + 1, lastRetry: event.retry };
    case "usage":
      return addUsage(next, event);
    case "result":
      return { ...next, result: event.result, sessionId: event.result.sessionId ?? next.sessionId };
    case "unparsed":
      return { ...next, unparsedLines: next.unparsedLines + 1 };
    default:
      return next;
  }
}

/** What the status line shows for an event; undefined for events that say nothing new. */
export function progressOf(event: ClaudeStreamEvent): AgentProgress | undefined {
  switch (event.kind) {
    case "init":
      return { kind: "init", detail: `session ${event.sessionId ?? "?"} (${event.model ?? "unknown model"})` };
    case "text": {
      const first = event.text.trim().split("\n")[0] ?? "";
      return first ? { kind: "text", detail: first.length > 200 ? `${first.slice(0, 197)}...` : first } : undefined;
    }
    case "tool-use":
      return { kind: "tool", detail: event.summary };
    case "api-retry": {
      const r = event.retry;
      const of = r.maxRetries === undefined ? "" : `/${r.maxRetries}`;
      const wait = r.retryDelayMs === undefined ? "" : `, next in ${r.retryDelayMs} ms`;
      return {
        kind: "retry",
        detail: `API retry ${r.attempt}${of} after ${r.errorStatus ?? r.error ?? "error"}${wait}`,
      };
    }
    default:
      return undefined;
  }
}
