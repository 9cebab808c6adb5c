/**
 * The post-run deferred regression gate (`regressionGate.mode: "deferred"`):
 * the full suite once, after every story passed. Its result decides the run
 * (trap 22): a failure is attributed to this run's stories through the files
 * their `Nax-Story` commits changed, announced with `regression:detected`,
 * and makes the run `failed` with a reason naming the tests and the stories.
 */
import type { NaxConfig } from "../config/schema";
import { errorMessage } from "../errors";
import type { EventBus } from "../events/bus";
import type { Logger } from "../logger/logger";
import { attributeFailures } from "../pipeline/attribute-failures";
import type { TestRunnerLike } from "../pipeline/ports";
import { describeFailures, failingTestNames } from "../pipeline/test-failures";
import type { GateResult } from "./run-stories";

export interface StoryGit {
  storyCommits(cwd: string, storyId: string): Promise<string[]>;
  filesInCommits(cwd: string, shas: string[]): Promise<string[]>;
}

export interface DeferredGateDeps {
  config: NaxConfig;
  workdir: string;
  tests: TestRunnerLike;
  git: StoryGit;
  bus: Pick<EventBus, "emit">;
  logger: Logger;
  /** The feature's passed stories (this run's and earlier runs'): the only candidates a failing test is attributed to. */
  completedStoryIds(): string[];
}

async function filesByStory(deps: DeferredGateDeps): Promise<Record<string, string[]>> {
  const files: Record<string, string[]> = {};
  for (const id of deps.completedStoryIds()) {
    try {
      files[id] = await deps.git.filesInCommits(deps.workdir, await deps.git.storyCommits(deps.workdir, id));
    } catch (error) {
      // Attribution only sharpens the message; the gate's verdict stands without it.
      deps.logger.warn(`deferred regression gate: could not read ${id}'s commits (${errorMessage(error)})`);
    }
  }
  return files;
}

export async function runDeferredGate(deps: DeferredGateDeps, signal: AbortSignal): Promise<GateResult> {
  const { quality, execution } = deps.config;
  const command = quality.commands.test;
  if (!quality.requireTests || !command) return { passed: true };
  const result = await deps.tests.run({
    cwd: deps.workdir,
    command,
    scope: "full",
    timeoutMs: execution.regressionGate.timeoutSeconds * 1000,
    signal,
  });
  if (result.passed) {
    deps.logger.info(
      result.passedCount + result.failedCount > 0
        ? `deferred regression gate passed (${result.passedCount} tests)`
        : `deferred regression gate passed (\`${result.command}\` exited 0; no test counts in its output)`,
    );
    return { passed: true };
  }
  const summary = describeFailures(result);
  if (signal.aborted) {
    return {
      passed: false,
      exitReason: "the deferred regression gate was interrupted",
      storyIds: [],
      byStory: {},
      summary,
    };
  }
  const attribution = attributeFailures(result.failures, await filesByStory(deps));
  const storyIds = Object.keys(attribution.byStory).sort();
  deps.bus.emit("regression:detected", { storyIds, failingTests: failingTestNames(result), mode: "deferred" });
  const blame = storyIds.length > 0 ? `; changed by ${storyIds.join(", ")}` : "";
  return {
    passed: false,
    exitReason: `deferred regression gate failed: the full suite fails after every story passed (${summary})${blame}`,
    storyIds,
    byStory: attribution.byStory,
    summary: result.summary || summary,
  };
}
