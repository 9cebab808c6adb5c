/**
 * LLM routing: the model judges each story's complexity and test strategy.
 * Modes: `one-shot` (every story in one call), `per-story` (a call each),
 * `hybrid` (one-shot, then a call each for stories the batch answer left out
 * or got wrong). Every answer is validated; a story without a valid answer is
 * routed by keywords with the reason in its decision and in the notes (or,
 * with `fallbackToKeywords: false`, fails routing). Calls go through a
 * `RoutingCompletion`: the SDK (cost computed from tokens) or, without an API
 * key, the agent's one-shot completion (cost as the CLI reports it).
 */
import type { NaxConfig } from "../config/schema";
import { NaxError } from "../errors";
import type { UserStory } from "../prd/schema";
import type { Clock } from "../system/clock";
import { parseTestStrategy } from "../tdd/strategies";
import { buildBatchRoutingPrompt, buildRoutingPrompt, parseBatchRoutingResponse, parseRoutingResponse } from "./llm";
import { decisionFrom, keywordDecision, type Router, type RoutingBatch, type RoutingDecision } from "./router";
import { chooseStrategy } from "./strategy-choice";

export type CompletionResult =
  | { ok: true; text: string; costUsd: number }
  | { ok: false; error: string; costUsd: number };

export interface RoutingCompletion {
  readonly costSource: "computed-from-tokens" | "agent-reported";
  /** Said once in the notes: what answers the calls (e.g. "the Messages API via @anthropic-ai/sdk, model …"). */
  readonly description: string;
  complete(prompt: string, signal?: AbortSignal): Promise<CompletionResult>;
}

export interface LlmRouterDeps {
  config: NaxConfig;
  completion: RoutingCompletion;
  clock: Clock;
}

export function createLlmRouter(deps: LlmRouterDeps): Router {
  const { config, completion, clock } = deps;
  const llm = config.routing.llm;
  return {
    strategy: "llm",
    async decide(stories, signal) {
      const started = clock.now();
      const decisions = new Map<string, RoutingDecision>();
      const notes = [
        `routing ${stories.length} ${stories.length === 1 ? "story" : "stories"} with ${completion.description}`,
      ];
      const failures = new Map<string, string>();
      let usd = 0;
      const accept = (story: UserStory, text: ReturnType<typeof parseRoutingResponse>) => {
        if (text.ok)
          decisions.set(
            story.id,
            decisionFrom(
              story,
              config,
              {
                ...text.routing,
                // A name nax does not run (or the older `test-first`) is read through the config's own choice.
                testStrategy:
                  parseTestStrategy(text.routing.testStrategy) ??
                  chooseStrategy(story, text.routing.complexity, config.tdd).strategy,
                reasoning: `llm: ${text.routing.reasoning}`,
              },
              "llm",
            ),
          );
        else failures.set(story.id, text.error);
      };
      const outOfTime = () => clock.now() - started >= llm.maxTotalMs;

      if (llm.mode !== "per-story" && stories.length > 0) {
        const result = await completion.complete(buildBatchRoutingPrompt(stories), signal);
        usd += result.costUsd;
        const batch = result.ok ? parseBatchRoutingResponse(result.text) : { ok: false as const, error: result.error };
        for (const story of stories) {
          const answer = batch.ok ? batch.routings.get(story.id) : undefined;
          if (answer) accept(story, answer);
          else failures.set(story.id, batch.ok ? "the batch answer left this story out" : batch.error);
        }
      }
      const perStory = llm.mode === "one-shot" ? [] : stories.filter((s) => !decisions.has(s.id));
      for (const story of perStory) {
        if (outOfTime()) {
          failures.set(story.id, `routing time limit (routing.llm.maxTotalMs ${llm.maxTotalMs}) reached`);
          continue;
        }
        const result = await completion.complete(buildRoutingPrompt(story), signal);
        usd += result.costUsd;
        accept(story, result.ok ? parseRoutingResponse(result.text) : { ok: false, error: result.error });
      }
      for (const story of stories) {
        if (decisions.has(story.id)) continue;
        const why = `LLM routing failed: ${failures.get(story.id) ?? "no answer"}`;
        if (!llm.fallbackToKeywords) {
          throw new NaxError("ROUTING_FAILED", `${story.id}: ${why}; routing.llm.fallbackToKeywords is false`, {
            storyId: story.id,
          });
        }
        decisions.set(story.id, keywordDecision(story, config, why));
        notes.push(`${story.id}: ${why}; routed by keywords`);
      }
      const batch: RoutingBatch = { decisions, cost: { usd, source: completion.costSource }, notes };
      return batch;
    },
  };
}
