/**
 * The environment a hook runs with (README "Hooks"): the user's own
 * environment, minus any NAX_* an outer nax left in it, plus this event's
 * description. Values come from the event's own data when it has them, else
 * from what the run last said about the story (its latest `story:started`:
 * model, tier, attempt, lane) and about the run (feature, cost). Everything
 * taken from the run passes through its redactor (trap 30, docs/traps.md).
 */
import type { AnyNaxEvent } from "../events/events";
import type { Redactor } from "../system/secrets";

/** Every variable nax sets for a hook; any of them inherited from an outer nax is removed first. */
export const HOOK_ENV_NAMES = [
  "NAX_EVENT",
  "NAX_EVENT_TYPE",
  "NAX_RUN_ID",
  "NAX_FEATURE",
  "NAX_STORY_ID",
  "NAX_STATUS",
  "NAX_COST_SPENT",
  "NAX_COST_LIMIT",
  "NAX_MODEL",
  "NAX_TIER",
  "NAX_AGENT",
  "NAX_ATTEMPT",
  "NAX_REASON",
  "NAX_LANE",
] as const;

export interface StoryFacts {
  model?: string;
  tier?: string;
  attempt?: number;
  lane?: number;
}

export interface RunFacts {
  feature?: string;
  agent?: string;
  costLimit?: number;
  /** The run's spend so far (the budget). */
  costSpent?: () => number;
  /** Per story, from its latest `story:started`. */
  stories: Map<string, StoryFacts>;
}

/** Keeps what later events of a story do not repeat. */
export function noteEvent(facts: RunFacts, event: AnyNaxEvent): void {
  if (event.type === "run:started") {
    facts.feature ??= event.data.feature;
    facts.costLimit ??= event.data.costLimit;
  }
  if (event.type === "story:started") {
    const { model, tier, attempt, lane } = event.data;
    facts.stories.set(event.data.storyId, { model, tier, attempt, ...(lane === undefined ? {} : { lane }) });
  }
}

function field(data: object, key: string): unknown {
  return (data as Record<string, unknown>)[key];
}

/** The status a hook is told: the named hook's, else the event's own status or outcome, else `running`. */
export function statusOf(event: AnyNaxEvent, named: string | undefined): string {
  if (named !== undefined) return named;
  const data = event.data as object;
  for (const key of ["status", "outcome"]) {
    const value = field(data, key);
    if (typeof value === "string") return value;
  }
  const passed = field(data, "passed");
  if (typeof passed === "boolean") return passed ? "passed" : "failed";
  return "running";
}

export function hookEnv(
  base: Readonly<Record<string, string | undefined>>,
  event: AnyNaxEvent,
  fired: { key: string; status: string },
  facts: RunFacts,
  redactor: Pick<Redactor, "text">,
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base };
  for (const key of HOOK_ENV_NAMES) delete env[key];
  const data = event.data as object;
  const text = (value: unknown) => (value === undefined ? undefined : redactor.text(String(value)));
  const storyId = field(data, "storyId");
  const story = typeof storyId === "string" ? facts.stories.get(storyId) : undefined;
  const spent = field(data, "costSpent") ?? facts.costSpent?.();
  const reason = field(data, "reason") ?? field(data, "exitReason") ?? field(data, "error");
  const values: Record<(typeof HOOK_ENV_NAMES)[number], unknown> = {
    NAX_EVENT: fired.key,
    NAX_EVENT_TYPE: event.type,
    NAX_RUN_ID: event.runId,
    NAX_FEATURE: field(data, "feature") ?? facts.feature,
    NAX_STORY_ID: storyId,
    NAX_STATUS: fired.status,
    NAX_COST_SPENT: typeof spent === "number" ? spent.toFixed(4) : undefined,
    NAX_COST_LIMIT: field(data, "costLimit") ?? facts.costLimit,
    NAX_MODEL: field(data, "model") ?? story?.model,
    NAX_TIER: field(data, "tier") ?? field(data, "toTier") ?? story?.tier,
    NAX_AGENT: facts.agent,
    NAX_ATTEMPT: field(data, "attempt") ?? field(data, "attempts") ?? story?.attempt,
    NAX_REASON: reason,
    NAX_LANE: field(data, "lane") ?? story?.lane,
  };
  for (const [key, value] of Object.entries(values)) {
    const set = text(value);
    if (set !== undefined) env[key] = set;
  }
  return env;
}
