/**
 * The story pipeline's order, written once. The repair stages sit right
 * after the gates they repair (rectify after verify, autofix after review),
 * and both gates only leave their result as data, so repair always runs
 * before anything escalates (trap 11).
 */
import type { AgentPool } from "../agents/pool";
import type { AgentAdapter } from "../agents/types";
import type { Clock } from "../system/clock";
import type { Budget } from "./budget";
import type { GitLike, PrdCompletion, ReadText, ReviewerLike, TestPlanner, TestRunnerLike } from "./ports";
import type { RateLimitGate } from "./rate-limit-gate";
import type { Stage, StoryContext } from "./stage";
import { createAgentStage } from "./stages/agent";
import { createAutofixStage } from "./stages/autofix";
import { createCompletionStage } from "./stages/completion";
import { createContextStage } from "./stages/context";
import { createPromptStage } from "./stages/prompt";
import { createRectifyStage } from "./stages/rectify";
import { createRegressionStage } from "./stages/regression";
import { createReviewStage } from "./stages/review";
import { createRoutingStage } from "./stages/routing";
import { createVerifyStage } from "./stages/verify";

export interface PipelineDeps {
  agent: AgentAdapter;
  /** Every agent the run may use; absent: every session runs on `agent`. */
  agents?: AgentPool;
  budget: Budget;
  clock: Clock;
  /** The run-wide rate-limit gate every lane's sessions share. */
  rateLimitGate?: RateLimitGate;
  readText: ReadText;
  tests: TestRunnerLike;
  /** The smart test runner (scoped vs full); absent means always the full suite. */
  planner?: TestPlanner;
  reviewer: ReviewerLike;
  git: GitLike;
  /** Absent in an isolated run: the merge queue marks a story passed. */
  prd?: PrdCompletion;
  /** Plugins' context providers (src/plugins/context.ts). */
  extraContext?: (ctx: StoryContext) => Promise<string[]>;
}

export function createDefaultPipeline(deps: PipelineDeps): Stage[] {
  const session = {
    agent: deps.agent,
    ...(deps.agents ? { agents: deps.agents } : {}),
    budget: deps.budget,
    clock: deps.clock,
    ...(deps.rateLimitGate ? { rateLimitGate: deps.rateLimitGate } : {}),
  };
  return [
    createRoutingStage(session),
    createContextStage({
      readText: deps.readText,
      clock: deps.clock,
      git: deps.git,
      ...(deps.extraContext ? { extraContext: deps.extraContext } : {}),
    }),
    createPromptStage({ clock: deps.clock }),
    createAgentStage(session),
    createVerifyStage({ tests: deps.tests, clock: deps.clock, ...(deps.planner ? { planner: deps.planner } : {}) }),
    createRectifyStage(session),
    createReviewStage({ reviewer: deps.reviewer, clock: deps.clock }),
    createAutofixStage({ ...session, reviewer: deps.reviewer }),
    createRegressionStage({ tests: deps.tests, clock: deps.clock }),
    createCompletionStage({ ...(deps.prd ? { prd: deps.prd } : {}), git: deps.git, clock: deps.clock }),
  ];
}
