/**
 * The escalation state machine, pure. A story's ladder is the configured
 * `tierOrder` from its initial tier upwards; each rung has an attempt budget.
 * Attempts used per tier are derived from the story's recorded failures (each
 * names its tier), so the record survives restarts with no hidden counter.
 */
import type { NaxConfig } from "../config/schema";
import type { UserStory } from "../prd/schema";

export interface Rung {
  tier: string;
  budget: number;
  used: number;
}

export interface EscalationRecord {
  storyId: string;
  ladder: Rung[];
  /** Index of the rung the next attempt runs on; equals ladder.length when every budget is spent. */
  current: number;
}

export type NextAttempt = { kind: "run"; tier: string; attempt: number } | { kind: "exhausted"; reason: string };

export type FailureDecision =
  | { kind: "retry"; tier: string }
  | { kind: "escalate"; fromTier: string; toTier: string }
  | { kind: "exhausted"; tier: string; reason: string };

type EscalationConfig = NaxConfig["autoMode"]["escalation"];

/**
 * The rungs a story may climb. An initial tier that is not in `tierOrder`
 * gets the first rung's budget and is followed by the whole order, so a
 * manual routing choice still has somewhere to go.
 */
export function buildLadder(escalation: EscalationConfig, initialTier: string): Omit<Rung, "used">[] {
  const order = escalation.tierOrder.map((rung) => ({ tier: rung.tier, budget: rung.attempts }));
  const start = order.findIndex((rung) => rung.tier === initialTier);
  const ladder =
    start >= 0
      ? order.slice(start)
      : [{ tier: initialTier, budget: order[0]?.budget ?? 1 }, ...order.filter((r) => r.tier !== initialTier)];
  return escalation.enabled ? ladder : ladder.slice(0, 1);
}

/**
 * Where a story's ladder starts: the tier of its first recorded escalation or
 * failure, so that routing persisted after an escalation cannot move the start;
 * a story with no history starts where routing puts it.
 */
export function startTierOf(
  story: Pick<UserStory, "priorFailures" | "escalations">,
  initialTier: () => string,
): string {
  return story.escalations?.[0]?.fromTier ?? story.priorFailures?.[0]?.tier ?? initialTier();
}

export function createEscalationRecord(
  story: Pick<UserStory, "id" | "priorFailures" | "escalations" | "grants">,
  escalation: EscalationConfig,
  initialTier: string,
): EscalationRecord {
  const usedByTier = new Map<string, number>();
  for (const failure of story.priorFailures ?? []) {
    usedByTier.set(failure.tier, (usedByTier.get(failure.tier) ?? 0) + 1);
  }
  // An attempt a person granted (a `retry` answer once every tier was spent) adds to its tier's budget.
  const granted = (tier: string) => (story.grants ?? []).filter((g) => g.tier === tier).length;
  const ladder = buildLadder(escalation, initialTier).map((rung) => ({
    ...rung,
    budget: rung.budget + granted(rung.tier),
    used: usedByTier.get(rung.tier) ?? 0,
  }));
  // An escalation already recorded moves the story up even if the lower budget was not spent (a manual edit, a config change).
  const lastEscalation = story.escalations?.at(-1);
  const escalatedTo = lastEscalation ? ladder.findIndex((rung) => rung.tier === lastEscalation.toTier) : -1;
  let current = Math.max(0, escalatedTo);
  while (current < ladder.length && (ladder[current] as Rung).used >= (ladder[current] as Rung).budget) current++;
  return { storyId: story.id, ladder, current };
}

function describeLadder(record: EscalationRecord): string {
  return record.ladder.map((rung) => `${rung.tier} ${rung.used}/${rung.budget}`).join(", ");
}

/** What the next attempt of a story runs on, or why it may not run again. */
export function planNextAttempt(record: EscalationRecord, attemptsSoFar: number): NextAttempt {
  const rung = record.ladder[record.current];
  if (!rung) {
    return { kind: "exhausted", reason: `every tier's attempts are spent (${describeLadder(record)})` };
  }
  return { kind: "run", tier: rung.tier, attempt: attemptsSoFar + 1 };
}

/**
 * After a failed attempt on `failedTier` has been recorded (so the record
 * already counts it): stay on that tier while its budget lasts, else climb,
 * else the story is out of attempts.
 */
export function decideAfterFailure(record: EscalationRecord, failedTier: string): FailureDecision {
  const next = record.ladder[record.current];
  if (!next) {
    return {
      kind: "exhausted",
      tier: failedTier,
      reason: `every tier's attempts are spent (${describeLadder(record)})`,
    };
  }
  if (next.tier === failedTier) return { kind: "retry", tier: failedTier };
  return { kind: "escalate", fromTier: failedTier, toTier: next.tier };
}
