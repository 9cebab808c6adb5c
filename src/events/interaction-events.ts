/**
 * A question for a person and how it ended (interaction/ owns all three):
 * `interaction:asked` is sent with `emitAsync` only (trap 2), and exactly one
 * of `interaction:answered` / `interaction:fallback` follows it, so a log
 * always says who decided and, for a fallback, that no one did.
 */
import { z } from "zod";
import { defineEvent } from "./define";
import { LaneSchema } from "./vocabulary";

/** Why a run asks: the cost share reached, a story out of tiers, a security-sensitive merge, an unresolved conflict. */
export const QuestionKindSchema = z.enum(["cost-threshold", "tiers-exhausted", "security-review", "merge-conflict"]);
export type QuestionKind = z.infer<typeof QuestionKindSchema>;

const questionId = z.string();
const storyId = z.string().optional();
const lane = LaneSchema.optional();

export const INTERACTION_EVENTS = [
  defineEvent(
    "interaction:asked",
    "the run asks a person; only the asking story's lane waits (a cost question holds new starts)",
    z.object({
      questionId,
      kind: QuestionKindSchema,
      prompt: z.string(),
      choices: z.array(z.string()).min(1),
      fallback: z.string(),
      timeoutSeconds: z.number(),
      expiresAt: z.string(),
      channels: z.array(z.string()),
      storyId,
      lane,
    }),
  ),
  defineEvent(
    "interaction:answered",
    "a person answered a question through a channel",
    z.object({ questionId, choice: z.string(), channel: z.string(), by: z.string().optional(), storyId, lane }),
  ),
  defineEvent(
    "interaction:fallback",
    "no one answered in time (or the run stopped): the question's declared fallback was applied",
    z.object({ questionId, choice: z.string(), reason: z.string(), storyId, lane }),
  ),
] as const;
