/**
 * The `auto` channel: a policy from config (`interaction.auto.answers`, question
 * kind → choice) answers at once. A kind the policy does not name, or a choice
 * the question does not offer, is left to the other channels and the timeout.
 */
import type { Channel } from "../question";

export function createAutoChannel(answers: Readonly<Record<string, string>>): Channel {
  return {
    name: "auto",
    ask(question, respond) {
      const choice = answers[question.kind];
      if (choice !== undefined) respond({ choice, channel: "auto", by: "policy" });
    },
  };
}
