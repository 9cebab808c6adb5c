/**
 * The situations that ask a person, as pure question builders and tests:
 * the cost share of the limit reached (continue/stop), a story whose tiers are
 * spent (retry on the top tier/skip/fail), a security-sensitive story before
 * its merge (approve/reject), and a conflict the merge queue could not
 * resolve (retry/skip/fail). Each is off unless enabled in `interaction.triggers`.
 */
import type { InteractionConfig } from "../config/interaction-schema";
import type { UserStory } from "../prd/schema";
import { formatCost } from "../utils/format-cost";
import type { QuestionInput } from "./question";

type Triggers = InteractionConfig["triggers"];
const where = (storyId: string, lane: number | undefined) => ({ storyId, ...(lane === undefined ? {} : { lane }) });

export function costQuestion(triggers: Triggers, spent: number, limit: number): QuestionInput {
  const share = Math.round((triggers.costShare ?? 0) * 100);
  return {
    kind: "cost-threshold",
    prompt: `${formatCost(spent)} of the ${formatCost(limit)} limit is spent (${share}% reached): go on starting stories?`,
    choices: ["continue", "stop"],
    fallback: triggers.costFallback,
  };
}

export function tiersExhaustedQuestion(
  triggers: Triggers,
  storyId: string,
  lane: number | undefined,
  reason: string,
  topTier: string,
): QuestionInput {
  return {
    kind: "tiers-exhausted",
    prompt: `${storyId} has spent every tier (${reason}): retry once more on ${topTier}, skip it, or fail it?`,
    choices: ["retry", "skip", "fail"],
    fallback: triggers.tiersExhaustedFallback,
    ...where(storyId, lane),
  };
}

export function securityQuestion(
  triggers: Triggers,
  storyId: string,
  lane: number | undefined,
  why: string,
): QuestionInput {
  return {
    kind: "security-review",
    prompt: `${storyId} is security-sensitive (${why}) and passed: approve merging it, or reject it?`,
    choices: ["approve", "reject"],
    fallback: triggers.securityFallback,
    ...where(storyId, lane),
  };
}

export function mergeConflictQuestion(
  triggers: Triggers,
  storyId: string,
  lane: number | undefined,
  reason: string,
): QuestionInput {
  return {
    kind: "merge-conflict",
    prompt: `${storyId} could not be merged (${reason}): retry it on the new base, skip it, or fail it?`,
    choices: ["retry", "skip", "fail"],
    fallback: triggers.mergeConflictFallback,
    ...where(storyId, lane),
  };
}

const escapeRegExp = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Why a story is security-sensitive (a tag, or a keyword as a whole word in its title or description), or undefined. */
export function securitySensitivity(story: Pick<UserStory, "tags" | "title" | "description">, triggers: Triggers) {
  const tag = (story.tags ?? []).find((t) => triggers.securityTags.some((s) => s.toLowerCase() === t.toLowerCase()));
  if (tag) return `tagged ${tag}`;
  const text = `${story.title}\n${story.description}`;
  const word = triggers.securityKeywords.find((k) => new RegExp(`\\b${escapeRegExp(k)}\\b`, "i").test(text));
  return word ? `mentions "${word}"` : undefined;
}
