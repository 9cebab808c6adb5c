/**
 * An agent whose prompts pass through the run's redactor first: a repair
 * prompt quotes test output and earlier errors, which may hold a key's value
 * the agent has no use for and must not send on (trap 30, docs/traps.md).
 */
import type { Redactor } from "../system/secrets";
import type { AgentAdapter } from "./types";

export function withRedactedPrompts(agent: AgentAdapter, redactor: Pick<Redactor, "text" | "size">): AgentAdapter {
  if (redactor.size === 0) return agent;
  return {
    name: agent.name,
    isInstalled: () => agent.isInstalled(),
    run: (options) => agent.run({ ...options, prompt: redactor.text(options.prompt) }),
    complete: (prompt, options) => agent.complete(redactor.text(prompt), options),
  };
}
