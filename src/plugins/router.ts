/**
 * A plugin's router behind the Router port (routing/router.ts): the first
 * loaded plugin with a `router` decides each story it wants to (its
 * decisions are persisted with `decidedBy: "plugin"`), and the configured
 * router decides the rest, in one batch as always. A plugin router that
 * throws, hangs or answers nonsense for a story leaves that story to the
 * configured router, with a note naming the plugin.
 */
import type { NaxConfig } from "../config/schema";
import { ComplexitySchema } from "../prd/schema";
import { classifyByKeywords } from "../routing/keyword";
import { decisionFrom, type Router, type RoutingDecision } from "../routing/router";
import type { Clock } from "../system/clock";
import { guarded } from "./guard";
import type { LoadedPlugin } from "./load";

export function withPluginRouter(
  fallback: Router,
  plugins: readonly LoadedPlugin[],
  config: NaxConfig,
  clock: Pick<Clock, "sleep">,
): Router {
  const entry = plugins.find((p) => p.plugin.router !== undefined);
  const router = entry?.plugin.router;
  if (!entry || !router) return fallback;
  const name = entry.plugin.name;
  return {
    strategy: fallback.strategy,
    async decide(stories, signal) {
      const decisions = new Map<string, RoutingDecision>();
      const notes: string[] = [];
      const rest = [];
      for (const story of stories) {
        const input = {
          storyId: story.id,
          title: story.title,
          ...(story.description === undefined ? {} : { description: story.description }),
          acceptanceCriteria: story.acceptanceCriteria,
        };
        const result = await guarded(clock, (s) => router.route(input, { settings: entry.settings, signal: s }), {
          ...(signal ? { signal } : {}),
        });
        const complexity = result.ok ? ComplexitySchema.safeParse(result.value?.complexity) : undefined;
        if (!result.ok || (result.value !== undefined && !complexity?.success)) {
          const why = result.ok ? `answered complexity ${JSON.stringify(result.value?.complexity)}` : result.error;
          notes.push(`plugin ${name}: router ${why} for ${story.id}; the ${fallback.strategy} router decides it`);
        }
        if (!result.ok || result.value === undefined || !complexity?.success) {
          rest.push(story);
          continue;
        }
        const made = {
          complexity: complexity.data,
          testStrategy: result.value.testStrategy ?? classifyByKeywords(story).testStrategy,
          reasoning: result.value.reasoning ?? `decided by the ${name} plugin`,
        };
        decisions.set(story.id, decisionFrom(story, config, made, "plugin"));
      }
      if (rest.length === 0) return { decisions, cost: { usd: 0, source: "none" }, notes };
      const batch = await fallback.decide(rest, signal);
      for (const [id, decision] of batch.decisions) decisions.set(id, decision);
      return { decisions, cost: batch.cost, notes: [...notes, ...batch.notes] };
    },
  };
}
