/**
 * Which agent a session runs on, and where it goes when that agent cannot:
 * the story's pin, else its tier's agent, else `autoMode.defaultAgent`
 * (config/schema.ts `tierChoice`); then `autoMode.fallback` in order, skipping
 * agents the session already tried and agents the run knows are out (not
 * installed, rate limited past the wait: agents/pool.ts). A switch is
 * announced once per switch as `agent:switched`.
 */
import type { AgentPool } from "../agents/pool";
import { type AgentName, type AgentPin, type NaxConfig, type TierChoice, tierChoice } from "../config/schema";
import type { UserStory } from "../prd/schema";
import type { StoryContext } from "./stage";

export function pinOf(story: Pick<UserStory, "agent" | "model">): AgentPin {
  return {
    ...(story.agent === undefined ? {} : { agent: story.agent }),
    ...(story.model === undefined ? {} : { model: story.model }),
  };
}

export interface SessionChoice extends TierChoice {
  tier: string;
  /** Agents this session has run on or ruled out. */
  tried: Set<AgentName>;
}

export function firstChoice(config: NaxConfig, story: UserStory, tier: string): SessionChoice {
  const choice = tierChoice(config, tier, pinOf(story));
  return { ...choice, tier, tried: new Set([choice.agent]) };
}

/** The next agent of `autoMode.fallback` this session may switch to, or undefined. */
export function nextFallback(config: NaxConfig, pool: AgentPool, choice: SessionChoice, nowMs: number) {
  return config.autoMode.fallback.find((name) => !choice.tried.has(name) && !pool.unavailable(name, nowMs));
}

/** Moves the session to `to`, announcing it; the story's pinned model stays with its own agent. */
export function switchAgent(ctx: StoryContext, choice: SessionChoice, to: AgentName, reason: string): SessionChoice {
  const next = tierChoice(ctx.config, choice.tier, pinOf(ctx.story), to);
  ctx.emit("agent:switched", { from: choice.agent, to, model: next.model, reason });
  ctx.logger.warn(`switching from ${choice.agent} to ${to} (${next.model}): ${reason}`, { storyId: ctx.story.id });
  return { ...next, tier: choice.tier, tried: new Set([...choice.tried, to]) };
}
