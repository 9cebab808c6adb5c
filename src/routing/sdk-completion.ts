/**
 * Routing calls through `@anthropic-ai/sdk`: the Messages API with the run's
 * key and base URL, retried by `callWithRetries`, cost computed from the
 * reported token usage and `routing.llm.pricing`. Undefined without an API
 * key, or when the model has no price (a cost nax could not count); the
 * caller then uses the agent's one-shot completion and says why.
 */
import type { NaxConfig } from "../config/schema";
import type { Clock } from "../system/clock";
import { priceOf, routingModel } from "./llm-model";
import type { RoutingCompletion } from "./llm-router";
import { callWithRetries, createSdkMessages, type MessagesPort } from "./messages-client";

const MAX_ANSWER_TOKENS = 4096;

export type SdkCompletion = { kind: "ready"; completion: RoutingCompletion } | { kind: "unavailable"; why: string };

export function createSdkCompletion(
  config: NaxConfig,
  env: Record<string, string | undefined>,
  clock: Clock,
  port: MessagesPort | undefined = createSdkMessages(env),
): SdkCompletion {
  if (!port) return { kind: "unavailable", why: "ANTHROPIC_API_KEY is not set" };
  const model = routingModel(config);
  const price = priceOf(config, model);
  if (price.kind === "unpriced") return { kind: "unavailable", why: price.why };
  const llm = config.routing.llm;
  const policy = {
    timeoutMs: llm.timeoutMs,
    retries: llm.retries,
    retryDelayMs: llm.retryDelayMs,
    maxTotalMs: llm.maxTotalMs,
  };
  return {
    kind: "ready",
    completion: {
      costSource: "computed-from-tokens",
      description: `the Messages API (@anthropic-ai/sdk), model ${model}; cost computed from tokens`,
      async complete(prompt, signal) {
        const outcome = await callWithRetries(
          port,
          { model, prompt, maxTokens: MAX_ANSWER_TOKENS },
          policy,
          clock,
          signal,
        );
        if (outcome.kind === "failed") return { ok: false, error: outcome.error, costUsd: 0 };
        return { ok: true, text: outcome.answer.text, costUsd: price.usd(outcome.answer.usage) };
      },
    },
  };
}
