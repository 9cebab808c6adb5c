/**
 * The cost question, asked once per run: when the spend first reaches
 * `triggers.costShare` of the limit, before the next story starts. `continue`
 * is never asked again (the limit itself still stops the run); `stop` (or the
 * fallback `stop`) starts no further story. Lanes already at work finish.
 */
import type { NaxConfig } from "../config/schema";
import type { Answer, QuestionInput } from "./question";
import { costQuestion } from "./triggers";

/** Resolves with why no further story may start, or undefined to go on. */
export type CostGate = () => Promise<string | undefined>;

export function createCostGate(
  config: NaxConfig,
  budget: { spent(): number; limit: number },
  ask: (question: QuestionInput) => Promise<Answer>,
): CostGate | undefined {
  const { triggers } = config.interaction;
  const share = triggers.costShare;
  if (share === undefined) return undefined;
  let decided: Answer | undefined;
  let asking: Promise<Answer> | undefined;
  return async () => {
    if (!decided && budget.spent() >= share * budget.limit) {
      asking ??= ask(costQuestion(triggers, budget.spent(), budget.limit));
      decided = await asking;
    }
    if (decided?.choice !== "stop") return undefined;
    const how = decided.source === "fallback" ? "the fallback of" : "the answer to";
    return `stopped at ${Math.round(share * 100)}% of the cost limit by ${how} ${decided.questionId}`;
  };
}
