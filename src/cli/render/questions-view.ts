/** The questions a live run waits on, as `nax status` prints them: id, story and lane, prompt, choices, and how to answer. */
import type { WaitingQuestion } from "../../state/status-file";
import { formatClock } from "./format";
import type { Paint } from "./paint";

export function renderQuestions(questions: readonly WaitingQuestion[], paint: Paint): string[] {
  return questions.flatMap((q) => {
    const where = q.storyId ? ` (story ${q.storyId}${q.lane ? `, lane ${q.lane}` : ""})` : "";
    return [
      paint.warn(`  question ${q.id}${where}: ${q.prompt}`),
      `    choices ${q.choices.join(", ")}; no answer by ${formatClock(q.expiresAt)}: ${q.fallback}`,
      `    answer: nax answer ${q.id} <choice>`,
    ];
  });
}
