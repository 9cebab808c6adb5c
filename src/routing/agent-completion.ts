/**
 * Routing calls through the coding agent's one-shot completion (`claude -p`),
 * used when the SDK cannot be (no API key, or an unpriced model): the cost is
 * what the agent CLI reports for the call, never a guess. Rate limits are not
 * waited out here: a routing call that cannot be made falls back to keywords.
 */

import { isAgentName } from "../agents/registry";
import type { AgentAdapter } from "../agents/types";
import { type NaxConfig, tierChoice } from "../config/schema";
import type { RoutingCompletion } from "./llm-router";

export function createAgentCompletion(
  agent: AgentAdapter,
  config: NaxConfig,
  workdir: string,
  why: string,
): RoutingCompletion {
  const named = config.routing.llm.model;
  // The completion runs on `agent`: the tier's model for that agent.
  const forAgent = isAgentName(agent.name) ? agent.name : undefined;
  const model = named in config.models ? tierChoice(config, named, {}, forAgent).model : named;
  return {
    costSource: "agent-reported",
    description: `the ${agent.name} CLI's one-shot completion, model ${model} (${why}); cost as the CLI reports it`,
    async complete(prompt, signal) {
      const result = await agent.complete(prompt, { model, workdir, timeoutMs: config.routing.llm.timeoutMs, signal });
      if (result.outcome === "success") return { ok: true, text: result.resultText, costUsd: result.costUsd };
      return {
        ok: false,
        error: `${result.outcome}: ${result.error ?? result.resultText.slice(0, 200)}`,
        costUsd: result.costUsd,
      };
    },
  };
}
