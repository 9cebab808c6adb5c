/**
 * One non-streaming Messages API call through `@anthropic-ai/sdk`, for LLM
 * routing. The key and base URL come from the run's environment, as the SDK
 * itself reads them (`ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`), passed
 * explicitly because nax's environment is injected. The SDK's own retries are
 * off: `callWithRetries` retries 429/529/5xx and network errors with backoff,
 * honouring `retry-after`, within a bound on total time, and every attempt's
 * timeout is an abort that is cleared when the call settles (trap 3). The
 * SDK is loaded on the first call, not when nax starts: most commands (and
 * every run routed by keywords) never call the API, and loading it cost
 * every command about 60 ms.
 */
import { errorMessage } from "../errors";
import type { Clock } from "../system/clock";

export interface MessageUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface MessageAnswer {
  text: string;
  usage: MessageUsage;
  model: string;
}

export type CallOutcome =
  | { kind: "ok"; answer: MessageAnswer; attempts: number }
  | { kind: "failed"; error: string; attempts: number };

export interface MessagesRequest {
  model: string;
  prompt: string;
  maxTokens: number;
}

export interface MessagesPort {
  send(request: MessagesRequest, signal: AbortSignal): Promise<MessageAnswer>;
}

type Sdk = typeof import("@anthropic-ai/sdk");
let sdk: Sdk | undefined;
async function loadSdk(): Promise<Sdk> {
  sdk ??= await import("@anthropic-ai/sdk");
  return sdk;
}

/** The SDK behind the port; undefined without an API key (the caller falls back and says so). */
export function createSdkMessages(env: Record<string, string | undefined>): MessagesPort | undefined {
  const apiKey = env.ANTHROPIC_API_KEY;
  if (!apiKey) return undefined;
  let client: InstanceType<Sdk["default"]> | undefined;
  return {
    async send(request, signal) {
      const { default: Anthropic } = await loadSdk();
      client ??= new Anthropic({ apiKey, baseURL: env.ANTHROPIC_BASE_URL || undefined, maxRetries: 0 });
      const message = await client.messages.create(
        { model: request.model, max_tokens: request.maxTokens, messages: [{ role: "user", content: request.prompt }] },
        { signal },
      );
      const text = message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
      return {
        text,
        model: message.model,
        usage: { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens },
      };
    },
  };
}

export interface RetryPolicy {
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  /** No new attempt starts past this much time since the first. */
  maxTotalMs: number;
}

const RETRYABLE = new Set([408, 409, 429, 500, 502, 503, 504, 529]);

/** Seconds or an HTTP date, as `retry-after` may be; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers | undefined, nowMs: number): number | undefined {
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

function classify(error: unknown, nowMs: number): { retryable: boolean; waitMs?: number; text: string } {
  // Only an SDK that was loaded can have thrown its own errors.
  const Anthropic = sdk?.default;
  if (Anthropic && error instanceof Anthropic.APIError && error.status !== undefined) {
    const text = `HTTP ${error.status}: ${error.apiMessage ?? error.message}`;
    return { retryable: RETRYABLE.has(error.status), waitMs: retryAfterMs(error.headers, nowMs), text };
  }
  if (error instanceof AttemptTimeout) return { retryable: true, text: error.message };
  if (Anthropic && error instanceof Anthropic.APIUserAbortError) return { retryable: false, text: errorMessage(error) };
  if (Anthropic && error instanceof Anthropic.APIConnectionError) return { retryable: true, text: errorMessage(error) };
  return { retryable: false, text: errorMessage(error) };
}

/** An attempt our own timer cut: worth another try, and said in our words, not the SDK's "Request was aborted." */
class AttemptTimeout extends Error {}

async function attemptOnce(port: MessagesPort, request: MessagesRequest, timeoutMs: number, outer?: AbortSignal) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onOuter = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onOuter, { once: true });
  try {
    return await port.send(request, controller.signal);
  } catch (error) {
    if (timedOut) throw new AttemptTimeout(`no answer within ${timeoutMs} ms`, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuter);
  }
}

export async function callWithRetries(
  port: MessagesPort,
  request: MessagesRequest,
  policy: RetryPolicy,
  clock: Clock,
  signal?: AbortSignal,
): Promise<CallOutcome> {
  const started = clock.now();
  const errors: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await attemptOnce(port, request, policy.timeoutMs, signal);
      return { kind: "ok", answer, attempts: attempt };
    } catch (error) {
      if (signal?.aborted) throw error;
      const seen = classify(error, clock.now());
      errors.push(seen.text);
      const waitMs = seen.waitMs ?? policy.retryDelayMs * 2 ** (attempt - 1);
      const outOfTime = clock.now() - started + waitMs > policy.maxTotalMs;
      if (!seen.retryable || attempt > policy.retries || outOfTime) {
        const why = outOfTime && seen.retryable && attempt <= policy.retries ? " (routing time limit reached)" : "";
        return { kind: "failed", error: `${errors.join("; ")}${why}`, attempts: attempt };
      }
      await clock.sleep(waitMs, signal);
    }
  }
}
