/**
 * What `nax story reset|skip|pass` does to one story, pure: the new story
 * (with the human decision recorded in it), or a reason nothing changed.
 * A reset keeps the attempt history unless asked to clear it, because the
 * tier ladder's budgets are counted from the recorded failures.
 */
import type { HumanDecision, UserStory } from "./schema";

export type StoryAction =
  | { action: "reset"; clearAttempts: boolean; reason?: string }
  | { action: "skip"; reason?: string }
  | { action: "pass"; reason: string };

export type ActionResult = { kind: "changed"; story: UserStory; notes: string[] } | { kind: "unchanged"; why: string };

const TARGET = { reset: "pending", skip: "skipped", pass: "passed" } as const;

export function applyStoryAction(
  story: UserStory,
  request: StoryAction,
  who: { by: string; at: string },
): ActionResult {
  const target = TARGET[request.action];
  const clearing = request.action === "reset" && request.clearAttempts;
  const failures = story.priorFailures?.length ?? 0;
  if (story.status === target && !(clearing && (story.attempts > 0 || failures > 0))) {
    return { kind: "unchanged", why: `${story.id} is already ${target}; nothing changed` };
  }
  const decision: HumanDecision = { action: request.action, by: who.by, at: who.at, from: story.status };
  if (request.reason !== undefined) decision.reason = request.reason;
  let next: UserStory = { ...story, status: target, decisions: [...(story.decisions ?? []), decision] };
  const notes: string[] = [];
  if (clearing) {
    decision.clearedAttempts = story.attempts;
    next = clearAttempts(next);
    notes.push(`cleared ${story.attempts} attempt(s) and ${failures} recorded failure(s): the tier ladder starts over`);
  } else if (request.action === "reset" && failures > 0) {
    notes.push(
      `kept ${story.attempts} attempt(s) and ${failures} recorded failure(s): the next run counts them against each tier's budget (a story whose tiers are all spent fails again at once; --clear-attempts starts it over)`,
    );
  }
  return { kind: "changed", story: next, notes };
}

/** A fresh ladder: no attempts, failures or escalations, and the tier routing started from before any escalation. */
function clearAttempts(story: UserStory): UserStory {
  const { priorFailures: _failures, escalations, ...rest } = story;
  const startTier = escalations?.[0]?.fromTier;
  const routing = story.routing && startTier ? { ...story.routing, modelTier: startTier } : story.routing;
  return { ...rest, attempts: 0, ...(routing ? { routing } : {}) };
}
