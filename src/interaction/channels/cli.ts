/**
 * The `cli` channel: the question printed in the run's own terminal and
 * answered by typing the choice (or `<id> <choice>` while several wait).
 * Only when stdin is a terminal: a run under CI or a pipe never reads stdin.
 * Notifications are printed the same way.
 */
import type { TerminalInput } from "../../system/terminal-input";
import { type Channel, parseReplyText, type Question, questionText, type Respond } from "../question";

export function createCliChannel(deps: { input: TerminalInput; write(text: string): void }): Channel | undefined {
  if (!deps.input.isTTY) return undefined;
  const waiting = new Map<string, { question: Question; respond: Respond }>();
  let detach: (() => void) | undefined;

  const onLine = (line: string) => {
    const parsed = parseReplyText(line);
    if (!parsed) return;
    const target = parsed.questionId
      ? waiting.get(parsed.questionId)
      : waiting.size === 1
        ? [...waiting.values()][0]
        : undefined;
    if (!target) {
      if (waiting.size > 1) deps.write(`nax: ${waiting.size} questions wait; type "<id> <choice>"\n`);
      return;
    }
    const { question, respond } = target;
    if (!respond({ choice: parsed.choice, channel: "cli", by: "terminal" }))
      deps.write(`nax: "${parsed.choice}" is not one of ${question.choices.join(", ")}\n`);
  };

  return {
    name: "cli",
    ask(question, respond, signal) {
      waiting.set(question.id, { question, respond });
      detach ??= deps.input.onLine(onLine);
      deps.write(`\n${questionText(question)}\n> `);
      const forget = () => {
        waiting.delete(question.id);
        if (waiting.size === 0) {
          detach?.();
          detach = undefined;
        }
      };
      if (signal.aborted) forget();
      else signal.addEventListener("abort", forget, { once: true });
    },
    async notify(notification) {
      deps.write(`\nnax ${notification.feature}: ${notification.text}\n`);
    },
  };
}
