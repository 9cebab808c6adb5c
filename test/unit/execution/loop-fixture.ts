/** A story loop wired to a temp prd.json and a scripted pipeline, for the loop's unit tests. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ConfigInput, ConfigSchema } from "../../../src/config/schema";
import { createEventBus } from "../../../src/events/bus";
import type { AnyNaxEvent } from "../../../src/events/events";
import { startTierOf } from "../../../src/execution/escalation";
import type { AttemptIsolation } from "../../../src/execution/lanes";
import { type LoopResult, runStoryLoop } from "../../../src/execution/story-loop";
import { createMemoryLogger } from "../../../src/logger/logger";
import { createBudget } from "../../../src/pipeline/budget";
import type { PipelineOutcome } from "../../../src/pipeline/pipeline";
import type { StoryContext } from "../../../src/pipeline/stage";
import { parsePrd } from "../../../src/prd/load";
import { createPrdStore, type PrdStore } from "../../../src/prd/store";
import { createManualClock } from "../../../src/system/clock";
import { createNodeFs, type Fs } from "../../../src/system/fs";

type Scripted = Omit<PipelineOutcome, "state"> & { state?: Partial<PipelineOutcome["state"]> };
export type Script = (ctx: StoryContext, store: PrdStore) => Scripted | Promise<Scripted>;

export interface LoopFixture {
  dir: string;
  store: PrdStore;
  events: AnyNaxEvent[];
  contexts: StoryContext[];
  writes: string[];
  sleeps: number[];
  run(options?: { spent?: number; abort?: AbortController }): Promise<LoopResult>;
  types(): string[];
  cleanup(): Promise<void>;
}

export interface FixtureOptions {
  stories: Record<string, unknown>[];
  config?: ConfigInput;
  script: Script;
  /** Worktrees and the merge queue, as a port (none: every attempt runs in the fixture's folder). */
  isolation?: AttemptIsolation;
}

export async function createLoopFixture(options: FixtureOptions): Promise<LoopFixture> {
  const dir = await mkdtemp(join(tmpdir(), "nax-loop-"));
  const path = join(dir, "prd.json");
  const real = createNodeFs();
  const writes: string[] = [];
  const fs: Fs = {
    ...real,
    writeAtomic: async (p, content) => {
      writes.push(p);
      await real.writeAtomic(p, content);
    },
  };
  const config = ConfigSchema.parse(options.config ?? {});
  const prd = parsePrd(JSON.stringify({ project: "p", feature: "f", userStories: options.stories }), path);
  const clock = createManualClock();
  const sleeps: number[] = [];
  const store = createPrdStore(fs, path, prd, () => clock.iso());
  const events: AnyNaxEvent[] = [];
  const contexts: StoryContext[] = [];
  const fixture: LoopFixture = {
    dir,
    store,
    events,
    contexts,
    writes,
    sleeps,
    async run(runOptions = {}) {
      const bus = createEventBus({ runId: "run-test", now: () => clock.iso(), onSubscriberError: () => undefined });
      bus.onAny((e) => void events.push(e), { name: "recorder" });
      const budget = createBudget(config.execution.costLimit, runOptions.spent ?? 0);
      const result = await runStoryLoop({
        runId: "run-test",
        feature: "f",
        workdir: dir,
        config,
        store,
        bus,
        logger: createMemoryLogger(),
        signal: (runOptions.abort ?? new AbortController()).signal,
        clock: {
          ...clock,
          sleep: async (ms) => {
            sleeps.push(ms);
          },
        },
        budget,
        nowIso: () => clock.iso(),
        startTier: (story) => startTierOf(story, () => story.routing?.modelTier ?? "fast"),
        classify: () => ({ complexity: "simple", testStrategy: "test-after" }),
        ...(options.isolation ? { isolation: options.isolation } : {}),
        runStory: async (ctx) => {
          contexts.push(ctx);
          const scripted = await options.script(ctx, store);
          return { ...scripted, state: { ...ctx.state, ...scripted.state } } as PipelineOutcome;
        },
      });
      await bus.drain();
      return result;
    },
    types: () => events.map((e) => (e.data && "storyId" in e.data ? `${e.type}:${e.data.storyId}` : e.type)),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  return fixture;
}

export const passed = { kind: "passed", reason: "every stage passed", stage: "completion" } as const;
