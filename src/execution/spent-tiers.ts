/**
 * A story out of tiers, with the tiers-exhausted question enabled: it was
 * saved `paused` (so `nax status` shows it waiting), the person (or the
 * fallback) decides: `fail` as without the question, `skip`, or `retry`:
 * one more attempt granted on the ladder's top tier, recorded in the story's
 * `grants` so the escalation record counts it after a restart too.
 */
import type { EventBus } from "../events/bus";
import type { Answer, QuestionInput } from "../interaction/question";
import { tiersExhaustedQuestion } from "../interaction/triggers";
import type { StoryContext } from "../pipeline/stage";
import type { PrdStore } from "../prd/store";
import { buildLadder } from "./escalation";

export interface SpentTierDeps {
  store: PrdStore;
  bus: Pick<EventBus, "emit">;
  nowIso: () => string;
  ask: (question: QuestionInput) => Promise<Answer>;
}

/** Whether the story is settled (skipped, or granted a retry); `fail` leaves the failing to the caller. */
export async function askAboutSpentTiers(
  ctx: StoryContext,
  deps: SpentTierDeps,
  reason: string,
): Promise<"fail" | "settled"> {
  const id = ctx.story.id;
  const ladder = buildLadder(ctx.config.autoMode.escalation, ctx.tier);
  const topTier = ladder.at(-1)?.tier ?? ctx.tier;
  const question = tiersExhaustedQuestion(ctx.config.interaction.triggers, id, ctx.lane, reason, topTier);
  const answer = await deps.ask(question);
  const how = `${answer.source === "fallback" ? "fallback of" : "answer to"} ${answer.questionId}`;
  if (answer.choice === "skip") {
    await deps.store.updateStory(id, (s) => ({ ...s, status: "skipped" }));
    deps.bus.emit("log", { level: "info", message: `${id} skipped (the ${how})`, storyId: id });
    return "settled";
  }
  if (answer.choice === "retry") {
    const grant = { tier: topTier, questionId: answer.questionId, at: deps.nowIso() };
    await deps.store.updateStory(id, (s) => ({ ...s, status: "pending", grants: [...(s.grants ?? []), grant] }));
    deps.bus.emit("log", {
      level: "info",
      message: `${id} gets one more attempt on ${topTier} (the ${how})`,
      storyId: id,
    });
    return "settled";
  }
  return "fail";
}
