/** The prompt stage: builds the story prompt from the story, its prior failures and the gathered context. */
import { buildStoryPrompt } from "../../prompt/story-prompt";
import type { Clock } from "../../system/clock";
import { defineStage } from "../define-stage";
import type { Stage } from "../stage";

export function createPromptStage(deps: { clock: Pick<Clock, "now"> }): Stage {
  return defineStage({
    name: "prompt",
    clock: deps.clock,
    async run(ctx) {
      const testCommand = ctx.config.quality.commands.test;
      const prompt = buildStoryPrompt({
        story: ctx.story,
        priorFailures: ctx.priorFailures,
        ...(ctx.state.contextText === undefined ? {} : { contextText: ctx.state.contextText }),
        ...(testCommand === undefined ? {} : { testCommand }),
        ...(ctx.state.routing ? { testStrategy: ctx.state.routing.testStrategy } : {}),
      });
      return { action: "continue", patch: { prompt } };
    },
  });
}
