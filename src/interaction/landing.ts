/**
 * The questions around the merge queue (isolation/workspace.ts calls them
 * outside the queue, so one story waiting for a person never holds another
 * lane's merge): a security-sensitive story is approved or rejected before it
 * is merged, and a conflict the queue could not resolve is retried on the
 * new base, skipped, or failed. Rejected and failed work stays on its attempt ref.
 */
import type { LandingQuestions } from "../isolation/workspace";
import type { Answer, QuestionInput } from "./question";
import { mergeConflictQuestion, securityQuestion, securitySensitivity } from "./triggers";

const how = (answer: Answer) => `${answer.source === "fallback" ? "fallback of" : "answer to"} ${answer.questionId}`;

export function createLandingQuestions(ask: (question: QuestionInput) => Promise<Answer>): LandingQuestions {
  return {
    async beforeMerge(ctx, outcome) {
      const { triggers } = ctx.config.interaction;
      const why = triggers.securityReview ? securitySensitivity(ctx.story, triggers) : undefined;
      if (!why) return undefined;
      const answer = await ask(securityQuestion(triggers, ctx.story.id, ctx.lane, why));
      if (answer.choice === "approve") return undefined;
      return { ...outcome, kind: "fail", reason: `security review: rejected (the ${how(answer)}); its work is kept` };
    },
    async afterConflict(ctx, outcome) {
      const { triggers } = ctx.config.interaction;
      if (!triggers.mergeConflict) return outcome;
      const answer = await ask(mergeConflictQuestion(triggers, ctx.story.id, ctx.lane, outcome.reason));
      if (answer.choice === "retry")
        return { ...outcome, kind: "escalate", reason: `${outcome.reason}; retried (the ${how(answer)})` };
      if (answer.choice === "skip")
        return { ...outcome, kind: "skip", reason: `merge conflict skipped (the ${how(answer)})` };
      return outcome;
    },
  };
}
