/**
 * The prompt stage: builds the story prompt from the story, its prior failures and the gathered context.
 * `attemptPrompt` is that prompt as a pure function, which `nax prompts` shares so it shows what the run sends.
 */
import type { NaxConfig } from "../../config/schema";
import type { UserStory } from "../../prd/schema";
import { buildStoryPrompt, type StoryPromptInput } from "../../prompt/story-prompt";
import type { Clock } from "../../system/clock";
import { defineStage } from "../define-stage";
import type { Stage } from "../stage";

export interface AttemptPromptInput {
  story: UserStory;
  config: NaxConfig;
  /** From the context stage (`buildStoryContext`). */
  contextText?: string;
  /** From routing. */
  testStrategy?: string;
  /** A three-session strategy's session: its role line and the test globs its policy names. */
  role?: StoryPromptInput["role"];
}

export function attemptPrompt(input: AttemptPromptInput): string {
  const testCommand = input.config.quality.commands.test;
  return buildStoryPrompt({
    story: input.story,
    priorFailures: input.story.priorFailures ?? [],
    ...(input.contextText === undefined ? {} : { contextText: input.contextText }),
    ...(testCommand === undefined ? {} : { testCommand }),
    ...(input.testStrategy === undefined ? {} : { testStrategy: input.testStrategy }),
    ...(input.role === undefined ? {} : { role: input.role }),
  });
}

export function createPromptStage(deps: { clock: Pick<Clock, "now"> }): Stage {
  return defineStage({
    name: "prompt",
    clock: deps.clock,
    async run(ctx) {
      const prompt = attemptPrompt({
        story: { ...ctx.story, priorFailures: ctx.priorFailures },
        config: ctx.config,
        ...(ctx.state.contextText === undefined ? {} : { contextText: ctx.state.contextText }),
        ...(ctx.state.routing ? { testStrategy: ctx.state.routing.testStrategy } : {}),
      });
      return { action: "continue", patch: { prompt } };
    },
  });
}
