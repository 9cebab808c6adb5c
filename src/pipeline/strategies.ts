/**
 * Every strategy's pipeline, written in this one place: a strategy is a name
 * and an ordered list of steps (stage names, or `{ gate, repair }` pairs the
 * gate/repair combinator turns into a gate and its repair). To add a
 * strategy: register any new stages in default-pipeline.ts's registry, then
 * `defineStrategy({ name, summary, steps })` here and list it in STRATEGIES.
 * Routing names the strategy per story; createPipelineFor() picks the list.
 */
import type { PipelineStep } from "./stage-registry";

export interface StrategyDefinition {
  /** The name routing uses (`testStrategy` in a story's routing). */
  readonly name: string;
  /** One line for docs, `--dry-run` and `nax prompts`. */
  readonly summary: string;
  readonly steps: readonly PipelineStep[];
}

export function defineStrategy(definition: StrategyDefinition): StrategyDefinition {
  if (definition.steps.length === 0) throw new Error(`strategy "${definition.name}" has no steps`);
  return definition;
}

/** The repairing tail every strategy shares: tests, then lint/typecheck, then the per-story full suite. */
export const GATED_CHECKS: readonly PipelineStep[] = [
  { gate: "verify", repair: "rectify" },
  { gate: "review", repair: "autofix" },
  { gate: "regression", repair: "regression" },
];

/**
 * How every strategy ends: the test-integrity guards, then the commit. A
 * strategy that leaves them out would let a weakened test through, so a
 * unit test checks that each one ends with these steps.
 */
export const GUARDED_END: readonly PipelineStep[] = ["integrity", "completion"];

/** One session writes the code (and its tests); nax verifies, repairs and commits. */
export const TEST_AFTER = defineStrategy({
  name: "test-after",
  summary: "one session implements the story and its tests; nax runs the tests, lint and typecheck",
  steps: ["routing", "context", "prompt", "agent", ...GATED_CHECKS, ...GUARDED_END],
});

/**
 * Routing's keyword classifier names `test-first` for stories it thinks want
 * tests first; today the difference is only the prompt's instruction, so its
 * pipeline is test-after's.
 */
export const TEST_FIRST = defineStrategy({
  name: "test-first",
  summary: "as test-after, with the prompt asking for the tests to be written first",
  steps: TEST_AFTER.steps,
});

export const STRATEGIES: readonly StrategyDefinition[] = [TEST_AFTER, TEST_FIRST];

export const DEFAULT_STRATEGY = TEST_AFTER.name;

export function findStrategy(
  name: string,
  strategies: readonly StrategyDefinition[] = STRATEGIES,
): StrategyDefinition | undefined {
  return strategies.find((s) => s.name === name);
}
