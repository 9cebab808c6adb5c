/**
 * Builds the acceptance parts of one run from what app.ts already has: the
 * preparation and final gate the Runner calls, and the per-story gate the
 * merge queue calls on the merged tree. Present only when
 * `acceptance.enabled`; the integration worktree is asked for when needed:
 * the isolation that owns it is built after this, and checks it out in the
 * background of the run's start.
 */
import type { AgentAdapter } from "../agents/types";
import type { EventBus } from "../events/bus";
import type { AcceptanceServices } from "../execution/acceptance-step";
import type { RunSetup } from "../execution/setup";
import { createGitRunner } from "../git/run-git";
import type { Logger } from "../logger/logger";
import type { Budget } from "../pipeline/budget";
import type { TestRunnerLike } from "../pipeline/ports";
import type { StoryContext } from "../pipeline/stage";
import type { PrdStore } from "../prd/store";
import type { Sys } from "../system/sys";
import { createAcceptGit } from "./accept-git";
import { fixStoriesFor } from "./fix-stories";
import { finalAcceptanceGate, storyAcceptanceGate } from "./gate";
import { prepareAcceptance } from "./generate";
import { createAcceptanceRunner } from "./run-tests";

/** What app.ts already built for the run. */
export interface RunParts {
  sys: Sys;
  env: Record<string, string | undefined>;
  agent: AgentAdapter;
  bus: EventBus;
  logger: Logger;
  budget: Budget;
  tests: TestRunnerLike;
  store: PrdStore;
}

export interface RunAcceptance {
  services: AcceptanceServices;
  storyGate(ctx: StoryContext): Promise<{ ok: true } | { ok: false; reason: string }>;
}

export function createRunAcceptance(
  setup: Pick<RunSetup, "config" | "feature" | "paths">,
  parts: RunParts,
  integrationDir: () => Promise<string>,
): RunAcceptance | undefined {
  if (!setup.config.acceptance.enabled) return undefined;
  const deps = {
    ...parts,
    fs: parts.sys.fs,
    config: setup.config,
    feature: setup.feature,
    statePath: setup.paths.feature.acceptance,
    specPath: setup.paths.feature.spec,
    gitRunner: createGitRunner({ spawn: parts.sys.spawn, env: parts.env }),
    integrationDir,
  };
  const git = createAcceptGit(deps.gitRunner);
  const runner = createAcceptanceRunner(deps.config, deps.tests);
  const gateDeps = { fs: deps.fs, git, runner, config: deps.config, bus: deps.bus, statePath: deps.statePath };
  return {
    services: {
      prepare: async (signal) =>
        prepareAcceptance(
          {
            ...gateDeps,
            agent: deps.agent,
            logger: deps.logger,
            budget: deps.budget,
            feature: deps.feature,
            readSpec: () => deps.fs.readText(deps.specPath),
          },
          deps.store.current(),
          await deps.integrationDir(),
          signal,
        ),
      finalGate: async (signal) => finalAcceptanceGate(gateDeps, await deps.integrationDir(), signal),
      maxFixAttempts: deps.config.acceptance.maxFixAttempts,
      async addFixes(failing) {
        const stories = fixStoriesFor(deps.store.current(), failing, deps.config.acceptance.folder);
        await deps.store.appendStories(stories);
        return stories.map((s) => s.id);
      },
    },
    storyGate: async (ctx) => storyAcceptanceGate(gateDeps, await deps.integrationDir(), ctx.story, ctx.signal),
  };
}
