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

/** One session writes the tests first, then the code; nax checks RED on the tests-only state, GREEN at the end. */
export const TDD_SIMPLE = defineStrategy({
  name: "tdd-simple",
  summary: "one session writes the tests, then the code; nax checks RED on the tests alone and GREEN at the end",
  steps: [
    "routing",
    "context",
    "prompt",
    "agent",
    { gate: "red-tests-only", repair: "redo-tests" },
    ...GATED_CHECKS,
    "green",
    ...GUARDED_END,
  ],
});

/**
 * Three sessions, each its own role: the test writer's tests must be RED by
 * nax's own run and are then frozen; the implementer makes them pass without
 * touching them (and so does every repair); the verifier judges the result.
 */
const THREE_SESSION_STEPS: readonly PipelineStep[] = [
  "routing",
  "context",
  "test-writer",
  { gate: "red", repair: "rewrite-tests" },
  "freeze-tests",
  "implementer",
  ...GATED_CHECKS,
  "green",
  "verifier",
  ...GUARDED_END,
];

export const THREE_SESSION_TDD = defineStrategy({
  name: "three-session-tdd",
  summary: "test writer (test files only), implementer (no test file), verifier (no file); RED and GREEN by nax",
  steps: THREE_SESSION_STEPS,
});

export const THREE_SESSION_TDD_LITE = defineStrategy({
  name: "three-session-tdd-lite",
  summary: "three-session-tdd whose test writer may also add new stub files the tests need to load",
  steps: THREE_SESSION_STEPS,
});

/** The name earlier versions persisted in prd.json for tests-first stories: today's tdd-simple. */
export const TEST_FIRST = defineStrategy({
  name: "test-first",
  summary: "the older name of tdd-simple",
  steps: TDD_SIMPLE.steps,
});

export const STRATEGIES: readonly StrategyDefinition[] = [
  TEST_AFTER,
  TDD_SIMPLE,
  THREE_SESSION_TDD,
  THREE_SESSION_TDD_LITE,
  TEST_FIRST,
];

export const DEFAULT_STRATEGY = TEST_AFTER.name;

export function findStrategy(
  name: string,
  strategies: readonly StrategyDefinition[] = STRATEGIES,
): StrategyDefinition | undefined {
  return strategies.find((s) => s.name === name);
}
