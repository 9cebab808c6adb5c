/**
 * Which model answers routing calls, by its API name, and what a call costs.
 * `routing.llm.model` names a tier (its model from `models`) or a model; the
 * Claude CLI's short aliases are not API names, so they are mapped to the
 * models they stand for. Cost is tokens × `routing.llm.pricing`: a model with
 * no price is never called (its cost could not count against the limit).
 */
import { type NaxConfig, tierChoice } from "../config/schema";
import type { MessageUsage } from "./messages-client";

export const API_MODEL_ALIASES: Record<string, string> = {
  haiku: "claude-haiku-4-5",
  sonnet: "claude-sonnet-4-5",
  opus: "claude-opus-4-1",
};

export function routingModel(config: NaxConfig): string {
  const named = config.routing.llm.model;
  // The SDK speaks to the Anthropic API: a tier's model as Claude's map names it, whichever agent the tier runs on.
  const model = named in config.models ? tierChoice(config, named, {}, "claude").model : named;
  return API_MODEL_ALIASES[model] ?? model;
}

export type Price = { kind: "priced"; usd: (usage: MessageUsage) => number } | { kind: "unpriced"; why: string };

export function priceOf(config: NaxConfig, model: string): Price {
  const price = config.routing.llm.pricing[model];
  if (!price) {
    return {
      kind: "unpriced",
      why: `routing.llm.pricing has no price for ${model}, so its cost could not count against the limit; add one`,
    };
  }
  return {
    kind: "priced",
    usd: (u) => (u.inputTokens * price.inputPerMTok + u.outputTokens * price.outputPerMTok) / 1_000_000,
  };
}
