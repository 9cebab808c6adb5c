/**
 * The router a run uses, from `routing.strategy`: keywords (no model call),
 * manual (each story's own routing from prd.json; none is an error naming the
 * story), or LLM (the SDK when it can be used, else the agent's one-shot
 * completion, and the notes say which and why).
 */
import type { AgentAdapter } from "../agents/types";
import type { NaxConfig } from "../config/schema";
import { NaxError } from "../errors";
import type { Clock } from "../system/clock";
import { createAgentCompletion } from "./agent-completion";
import { createLlmRouter } from "./llm-router";
import { createKeywordRouter, type Router } from "./router";
import { createSdkCompletion } from "./sdk-completion";

export interface RouterDeps {
  config: NaxConfig;
  env: Record<string, string | undefined>;
  clock: Clock;
  agent: AgentAdapter;
  workdir: string;
}

const manualRouter: Router = {
  strategy: "manual",
  async decide(stories) {
    const [first] = stories;
    if (first) {
      throw new NaxError(
        "PRD_INVALID",
        `story ${first.id} has no routing.complexity (or complexity) in prd.json, which routing.strategy "manual" requires`,
        { storyId: first.id },
      );
    }
    return { decisions: new Map(), cost: { usd: 0, source: "none" }, notes: [] };
  },
};

export function createRouter(deps: RouterDeps): Router {
  switch (deps.config.routing.strategy) {
    case "keyword":
      return createKeywordRouter(deps.config);
    case "manual":
      return manualRouter;
    case "llm": {
      const sdk = createSdkCompletion(deps.config, deps.env, deps.clock);
      const completion =
        sdk.kind === "ready" ? sdk.completion : createAgentCompletion(deps.agent, deps.config, deps.workdir, sdk.why);
      return createLlmRouter({ config: deps.config, completion, clock: deps.clock });
    }
  }
}
