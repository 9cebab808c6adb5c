/**
 * The agent stage: one coding session with the story prompt. Success moves
 * on to verification; an error, timeout or stall escalates (it spends the
 * attempt); an environment problem (agent missing, refused as root, not
 * logged in) stops the run instead of burning attempts.
 */
import { type AgentSessionDeps, runAgentSession, sessionStopResult } from "../agent-session";
import { defineStage } from "../define-stage";
import type { Stage } from "../stage";

export function createAgentStage(deps: AgentSessionDeps): Stage {
  return defineStage({
    name: "agent",
    clock: deps.clock,
    async run(ctx) {
      const prompt = ctx.state.prompt;
      if (!prompt) throw new Error("the prompt stage did not run before the agent stage");
      const outcome = await runAgentSession(ctx, deps, { purpose: "implement", prompt });
      const stop = sessionStopResult(outcome);
      if (stop) return stop;
      if (outcome.kind !== "done") throw new Error(`unexpected session outcome ${outcome.kind}`);
      const { result } = outcome;
      switch (result.outcome) {
        case "success":
          return { action: "continue", patch: { agent: result } };
        case "error":
        case "timeout":
        case "stalled": {
          const detail = result.error ?? result.resultText.slice(0, 300);
          return {
            action: "escalate",
            reason: `agent session ended with ${result.outcome}${detail ? `: ${detail}` : ""}`,
            patch: { agent: result },
          };
        }
        default:
          // Every other outcome was turned into a stop or pause by sessionStopResult.
          throw new Error(`agent outcome ${result.outcome} was not handled`);
      }
    },
  });
}
