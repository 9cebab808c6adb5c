/**
 * Builders for pipeline unit tests: a parsed config, a story, a story
 * context whose emitted events and log records are kept in memory, and a
 * default pipeline wired with fakes.
 */
import { type ConfigInput, ConfigSchema, type NaxConfig } from "../../../src/config/schema";
import type { NaxEventMap, NaxEventType } from "../../../src/events/events";
import { createMemoryLogger } from "../../../src/logger/logger";
import { type Budget, createBudget } from "../../../src/pipeline/budget";
import { createDefaultPipeline, type PipelineDeps } from "../../../src/pipeline/default-pipeline";
import { type PipelineOutcome, pipelineLimitsFor, runPipeline } from "../../../src/pipeline/pipeline";
import type { TestPlanner } from "../../../src/pipeline/ports";
import type { Stage, StoryContext, StoryState } from "../../../src/pipeline/stage";
import { type Prd, PrdSchema, type PriorFailure, type UserStory, UserStorySchema } from "../../../src/prd/schema";
import { createManualClock } from "../../../src/system/clock";
import { createFakeAgent, type FakeAgent } from "../../fakes/fake-agent";
import {
  createFakeReviewer,
  createFakeTestRunner,
  type FakeReviewer,
  type FakeTestRunner,
} from "../../fakes/fake-test-runner";

export interface RecordedEvent {
  type: NaxEventType;
  data: Record<string, unknown>;
}

export function makeConfig(input: ConfigInput = {}): NaxConfig {
  const withTests: ConfigInput = {
    ...input,
    quality: { ...input.quality, commands: { test: "bun test", ...input.quality?.commands } },
  };
  return ConfigSchema.parse(withTests);
}

export function makeStory(partial: Record<string, unknown> = {}): UserStory {
  return UserStorySchema.parse({
    id: "US-001",
    title: "Greet the user by name",
    description: "Show a greeting with the user's name on the home page.",
    acceptanceCriteria: ["greet('Ada') returns 'Hello, Ada'", "an empty name greets 'Hello, stranger'"],
    ...partial,
  });
}

export function makePrd(stories: UserStory[]): Prd {
  return PrdSchema.parse({ project: "demo", feature: "greeting", userStories: stories });
}

export interface ContextOptions {
  config?: NaxConfig;
  story?: UserStory;
  tier?: string;
  attempt?: number;
  priorFailures?: PriorFailure[];
  signal?: AbortSignal;
  state?: Partial<StoryState>;
  workdir?: string;
}

export function makeContext(options: ContextOptions = {}) {
  const events: RecordedEvent[] = [];
  const logger = createMemoryLogger();
  const story = options.story ?? makeStory();
  const ctx: StoryContext = {
    runId: "run-2026-03-07T05-30-00-000Z",
    feature: "greeting",
    workdir: options.workdir ?? "/tmp/nax-project",
    config: options.config ?? makeConfig(),
    prd: makePrd([story]),
    story,
    attempt: options.attempt ?? 1,
    tier: options.tier ?? "fast",
    priorFailures: options.priorFailures ?? [],
    signal: options.signal ?? new AbortController().signal,
    logger,
    emit: (type, data) => {
      events.push({ type, data: data as Record<string, unknown> });
    },
    state: { costUsd: 0, ...options.state },
  };
  return { ctx, events, logger };
}

export function eventsOf<T extends NaxEventType>(events: RecordedEvent[], type: T): Omit<NaxEventMap[T], "storyId">[] {
  return events.filter((e) => e.type === type).map((e) => e.data as Omit<NaxEventMap[T], "storyId">);
}

export interface HarnessOptions extends ContextOptions {
  agent?: FakeAgent;
  tests?: FakeTestRunner;
  reviewer?: FakeReviewer;
  budget?: Budget;
  planner?: TestPlanner;
  /** What git reports as changed since the attempt's start; omitted means git cannot tell (no no-changes check). */
  changed?: string[];
}

/** The default pipeline wired with fakes, plus everything a test wants to look at afterwards. */
export function makeHarness(options: HarnessOptions = {}) {
  const clock = createManualClock();
  const agent = options.agent ?? createFakeAgent({ run: [{}] });
  const tests = options.tests ?? createFakeTestRunner([{ passed: true }]);
  const reviewer = options.reviewer ?? createFakeReviewer([]);
  const budget = options.budget ?? createBudget(10);
  const marked: Array<{ storyId: string; attempts: number; cost: number; verified: boolean }> = [];
  const commits: string[] = [];
  const deps: PipelineDeps = {
    agent,
    budget,
    clock,
    readText: async () => undefined,
    tests,
    reviewer,
    ...(options.planner ? { planner: options.planner } : {}),
    git: {
      head: async () => "base-sha",
      ...(options.changed ? { changedFiles: async () => options.changed ?? [] } : {}),
      async commitStory(input) {
        commits.push(input.storyId);
        return { committed: true, sha: `sha-${commits.length}` };
      },
    },
    prd: {
      async markPassed(storyId, details) {
        marked.push({ storyId, attempts: details.attempts, cost: details.cost, verified: details.verified });
      },
    },
  };
  const stages: Stage[] = createDefaultPipeline(deps);
  const { ctx, events, logger } = makeContext(options);
  const run = (): Promise<PipelineOutcome> => runPipeline(stages, ctx, pipelineLimitsFor(ctx.config));
  return { run, ctx, events, logger, agent, tests, reviewer, budget, clock, marked, commits, stages };
}

/** How many times each stage started, in order of first start. */
export function stageRuns(events: RecordedEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) {
    if (e.type === "stage:started") {
      const stage = String(e.data.stage);
      counts[stage] = (counts[stage] ?? 0) + 1;
    }
  }
  return counts;
}
