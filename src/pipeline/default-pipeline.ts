/**
 * The built-in stages registered by name, and `createPipelineFor(strategy)`:
 * the strategy's steps (strategies.ts, the one place each order is written)
 * built into stage values with the run's dependencies. The repair stages sit
 * right after the gates they repair (rectify after verify, autofix after
 * review) through the gate/repair combinator, and gates only leave their
 * result as data, so repair always runs before anything escalates (trap 11).
 */
import type { AgentPool } from "../agents/pool";
import type { AgentAdapter } from "../agents/types";
import type { Clock } from "../system/clock";
import type { Budget } from "./budget";
import type { GitLike, PrdCompletion, ReadText, ReviewerLike, TestPlanner, TestRunnerLike } from "./ports";
import type { RateLimitGate } from "./rate-limit-gate";
import type { Stage, StoryContext } from "./stage";
import { createStageRegistry, type StageRegistry } from "./stage-registry";
import { createAgentStage } from "./stages/agent";
import { autofixRepair } from "./stages/autofix";
import { createCompletionStage } from "./stages/completion";
import { createContextStage } from "./stages/context";
import { createIntegrityStage } from "./stages/integrity";
import { createPromptStage } from "./stages/prompt";
import { rectifyRepair } from "./stages/rectify";
import { regressionGate, regressionRepair } from "./stages/regression";
import { reviewGate } from "./stages/review";
import { createRoutingStage } from "./stages/routing";
import { verifyGate } from "./stages/verify";
import { DEFAULT_STRATEGY, findStrategy, STRATEGIES, type StrategyDefinition } from "./strategies";

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
  /** The tests counted on a merged commit, for the test-count guard; absent: text counts only. */
  baselineCount?: (baseRef: string) => Promise<{ count: number; command: string } | undefined>;
}

/** What an agent-session stage needs from the deps. */
export function sessionDeps(deps: PipelineDeps) {
  return {
    agent: deps.agent,
    ...(deps.agents ? { agents: deps.agents } : {}),
    budget: deps.budget,
    clock: deps.clock,
    ...(deps.rateLimitGate ? { rateLimitGate: deps.rateLimitGate } : {}),
    ...(deps.git.diffStat ? { diffStat: deps.git.diffStat.bind(deps.git) } : {}),
  };
}

/** A registry holding every built-in stage, gate and repair; a strategy's own stages are registered on top. */
export function builtinStageRegistry(): StageRegistry<PipelineDeps> {
  return createStageRegistry<PipelineDeps>()
    .stage("routing", (deps) => createRoutingStage(sessionDeps(deps)))
    .stage("context", (deps) =>
      createContextStage({
        readText: deps.readText,
        clock: deps.clock,
        git: deps.git,
        ...(deps.extraContext ? { extraContext: deps.extraContext } : {}),
      }),
    )
    .stage("prompt", (deps) => createPromptStage({ clock: deps.clock }))
    .stage("agent", (deps) => createAgentStage(sessionDeps(deps)))
    .gate("verify", (deps) =>
      verifyGate({ tests: deps.tests, clock: deps.clock, ...(deps.planner ? { planner: deps.planner } : {}) }),
    )
    .repair("rectify", (deps) => rectifyRepair(sessionDeps(deps)))
    .gate("review", (deps) => reviewGate({ reviewer: deps.reviewer, clock: deps.clock }))
    .repair("autofix", (deps) => autofixRepair({ ...sessionDeps(deps), reviewer: deps.reviewer }))
    .gate("regression", (deps) => regressionGate({ tests: deps.tests, clock: deps.clock }))
    .repair("regression", () => regressionRepair())
    .stage("integrity", (deps) =>
      createIntegrityStage({
        git: deps.git,
        readText: deps.readText,
        clock: deps.clock,
        ...(deps.baselineCount ? { baselineCount: deps.baselineCount } : {}),
      }),
    )
    .stage("completion", (deps) =>
      createCompletionStage({ ...(deps.prd ? { prd: deps.prd } : {}), git: deps.git, clock: deps.clock }),
    );
}

export interface PipelineChoice {
  /** The strategy whose steps were built (the default when the one asked for is unknown). */
  strategy: string;
  stages: Stage[];
  /** Set when the asked-for strategy is not defined: the default ran instead. */
  unknown?: string;
}

export interface PipelineCatalogue {
  registry?: StageRegistry<PipelineDeps>;
  strategies?: readonly StrategyDefinition[];
}

/** The stages of one strategy; an unknown name falls back to the default strategy and says so. */
export function createPipelineFor(
  strategy: string,
  deps: PipelineDeps,
  catalogue: PipelineCatalogue = {},
): PipelineChoice {
  const registry = catalogue.registry ?? builtinStageRegistry();
  const strategies = catalogue.strategies ?? STRATEGIES;
  const found = findStrategy(strategy, strategies);
  const chosen = found ?? findStrategy(DEFAULT_STRATEGY, strategies);
  if (!chosen) throw new Error(`the default strategy "${DEFAULT_STRATEGY}" is not defined`);
  return {
    strategy: chosen.name,
    stages: registry.build(chosen.steps, deps),
    ...(found ? {} : { unknown: strategy }),
  };
}

/** Today's pipeline: the `test-after` strategy. */
export function createDefaultPipeline(deps: PipelineDeps): Stage[] {
  return createPipelineFor(DEFAULT_STRATEGY, deps).stages;
}

/**
 * Every strategy's stages built once for a run (stages are stateless values;
 * the story's state lives in its context), picked per story by name.
 */
export function createPipelines(deps: PipelineDeps, catalogue: PipelineCatalogue = {}) {
  const built = new Map<string, PipelineChoice>();
  return (strategy: string): PipelineChoice => {
    const cached = built.get(strategy);
    if (cached) return cached;
    const choice = createPipelineFor(strategy, deps, catalogue);
    built.set(strategy, choice);
    return choice;
  };
}
