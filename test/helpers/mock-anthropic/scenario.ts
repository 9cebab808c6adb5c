/**
 * Scenario format of the loopback Messages API mock, and the pure decisions
 * made from it: which turn a request is at, which answer a turn gives after
 * its `times` counter, and `{{cwd}}` substitution in tool inputs.
 */

export interface MockToolUse {
  name: string;
  input: Record<string, unknown>;
  id?: string;
}

export interface MockError {
  status: number;
  /** Anthropic error type, e.g. `rate_limit_error`; derived from the status when absent. */
  type?: string;
  message?: string;
  headers?: Record<string, string>;
}

export interface MockUsage {
  input_tokens?: number;
  output_tokens?: number;
}

export interface MockTurn {
  text?: string;
  tool_use?: MockToolUse;
  tool_uses?: MockToolUse[];
  error?: MockError;
  /** Send `message_start`, then go silent (the CLI waits ~5 min on this). */
  stall?: boolean;
  /** Never send response headers. */
  hang?: boolean;
  /** Send `message_start`, then drop the socket. */
  abort?: boolean;
  /** For error/abort: how many times per session before `then` is played; forever when absent. */
  times?: number;
  then?: MockTurn;
  delay_ms?: number;
  usage?: MockUsage;
}

export interface MockScenario {
  turns: MockTurn[];
  /**
   * Chosen for a session whose first user message (the prompt) contains this
   * text (or all of these texts), when the request names no scenario: one mock
   * can then script a different session per story or per repair round.
   */
  match?: string | string[];
  /** Answer to requests without tools (title generation, SDK routing calls). */
  side?: { text: string };
  /**
   * Answers to requests without tools, in order (the i-th such request of this
   * scenario gets the i-th turn; the last one repeats): errors, text, usage.
   * For nax's own SDK routing calls. Wins over `side` when present.
   */
  sdk?: MockTurn[];
}

export const EXHAUSTED_TEXT = "done (mock script exhausted)";

/** Accepts a parsed JSON value as a scenario, or throws a message naming what is wrong. */
export function parseScenario(value: unknown, where = "scenario"): MockScenario {
  if (typeof value !== "object" || value === null || !Array.isArray((value as { turns?: unknown }).turns)) {
    throw new Error(`${where}: expected an object with a "turns" array`);
  }
  const scenario = value as MockScenario;
  scenario.turns.forEach((turn, index) => {
    if (typeof turn !== "object" || turn === null) throw new Error(`${where}: turns[${index}] is not an object`);
  });
  return scenario;
}

interface RequestMessage {
  role?: string;
  content?: unknown;
}

/** Turn index = number of assistant messages: stable across the CLI's retries of the same turn. */
export function turnIndexOf(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  return (messages as RequestMessage[]).filter((m) => m?.role === "assistant").length;
}

/** The session cwd from the system prompt (`Primary working directory:` or `CWD:` with --bare). */
export function cwdOfSystem(system: unknown): string | undefined {
  const texts: string[] = [];
  if (typeof system === "string") texts.push(system);
  else if (Array.isArray(system)) {
    for (const block of system) {
      if (typeof block?.text === "string") texts.push(block.text);
    }
  }
  for (const text of texts) {
    const match = /(?:Primary working directory|CWD):\s*(\S[^\n]*)/.exec(text);
    if (match?.[1]) return match[1].trim();
  }
  return undefined;
}

/** Replaces `{{cwd}}` in every string of a JSON value. */
export function substituteCwd<T>(value: T, cwd: string | undefined): T {
  if (cwd === undefined) return value;
  if (typeof value === "string") return value.replaceAll("{{cwd}}", cwd) as T;
  if (Array.isArray(value)) return value.map((item) => substituteCwd(item, cwd)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteCwd(v, cwd)])) as T;
  }
  return value;
}

/**
 * The answer a turn gives given how often this session already saw it.
 * `times` applies to error/abort turns; past it, `then` plays (or, without
 * `then`, the turn itself minus its error).
 */
export function resolveTurn(turn: MockTurn | undefined, seen: number): MockTurn {
  if (turn === undefined) return { text: EXHAUSTED_TEXT };
  if (turn.times === undefined || seen < turn.times) return turn;
  if (turn.then) return resolveTurn(turn.then, seen - turn.times);
  const { error: _error, abort: _abort, times: _times, ...rest } = turn;
  return rest.text || rest.tool_use || rest.tool_uses ? rest : { text: EXHAUSTED_TEXT };
}

export function errorTypeFor(status: number): string {
  if (status === 429) return "rate_limit_error";
  if (status === 529) return "overloaded_error";
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status >= 400 && status < 500) return "invalid_request_error";
  return "api_error";
}
