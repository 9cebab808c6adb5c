/**
 * The worker's story, from clone to pushed branch: the clone at the base
 * commit, the story (from the job, or the feature's PRD at that commit) as a
 * one-story PRD the worker keeps beside its clone, the services, the agent
 * check, the local isolation's start, routing, the story loop with one lane,
 * and afterwards the kept attempt refs pushed. What came of it is data
 * (`StoryEnding`); run-worker.ts turns it into the result line.
 */
import { join } from "node:path";
import type { NaxConfig } from "../config/schema";
import { NaxError } from "../errors";
import type { EventBus } from "../events/bus";
import type { AttemptReport } from "../execution/attempt";
import { plannedRouting } from "../execution/dry-run";
import { startTierOf } from "../execution/escalation";
import { runRouteStep } from "../execution/route-step";
import { type LoopResult, runStoryLoop } from "../execution/story-loop";
import { createGitRunner } from "../git/run-git";
import { attemptRefPrefix } from "../isolation/names";
import { createWorktreeGit } from "../isolation/worktree-git";
import type { Logger } from "../logger/logger";
import type { Budget } from "../pipeline/budget";
import { pipelineLimitsFor, runPipeline } from "../pipeline/pipeline";
import { loadPrd } from "../prd/load";
import type { Prd, UserStory } from "../prd/schema";
import { createPrdStore } from "../prd/store";
import { initialTierFor } from "../routing/tier";
import { featurePaths } from "../state/paths";
import type { Redactor } from "../system/secrets";
import type { Sys } from "../system/sys";
import { prepareClone } from "./clone";
import type { WorkerJob } from "./job";
import { createPushIsolation, type Pushed, pushKeptRefs } from "./push-isolation";
import type { GateEvidence, TerminalReason } from "./result";
import { createWorkerServices } from "./services";
import { terminalReason } from "./terminal";

export interface StoryEnding {
  reason: TerminalReason;
  detail?: string;
  branch?: Pushed;
  kept: { ref: string; commit: string }[];
  gate?: GateEvidence;
  attempts: number;
}

export interface StoryWorkInput {
  sys: Sys;
  job: WorkerJob;
  config: NaxConfig;
  dir: string;
  runId: string;
  bus: EventBus;
  logger: Logger;
  budget: Budget;
  redactor: Redactor;
  signal: AbortSignal;
  deadlineHit: () => boolean;
}

async function jobStory(input: StoryWorkInput, repo: string): Promise<{ story: UserStory; project: string }> {
  const { job } = input;
  const path = featurePaths(repo, job.feature).prd;
  const prd: Prd | undefined = (await input.sys.fs.exists(path)) ? await loadPrd(input.sys.fs, path) : undefined;
  const story = job.story ?? prd?.userStories.find((s) => s.id === job.storyId);
  if (!story) {
    throw new NaxError(
      "JOB_INVALID",
      `storyId "${job.storyId}" is not in nax/features/${job.feature}/prd.json at ${job.baseCommit}; fix the job's storyId or pass the story as "story"`,
    );
  }
  return { story, project: prd?.project ?? job.feature };
}

/** What the last attempt that was verified ran, and the commit holding the tree it ran on. */
async function evidence(
  reports: readonly AttemptReport[],
  commitOf: (report: AttemptReport) => Promise<string | undefined>,
): Promise<GateEvidence | undefined> {
  const report = reports.findLast((r) => r.outcome.state.verify !== undefined);
  const verify = report?.outcome.state.verify;
  const commit = report ? await commitOf(report) : undefined;
  if (!verify || commit === undefined) return undefined;
  return {
    command: verify.command,
    scope: verify.scope,
    exitCode: verify.exitCode,
    passed: verify.passed,
    passedCount: verify.passedCount,
    failedCount: verify.failedCount,
    commit,
    durationMs: Math.max(0, Math.round(verify.durationMs)),
  };
}

export async function doStory(input: StoryWorkInput): Promise<StoryEnding> {
  const { sys, job, config, bus, logger, budget } = input;
  // The clone and the pushes are git's own: they see nax's environment (a credential helper may read a token
  // there); the agent, the quality commands and the worktree plumbing see only the named credentials (services.ts).
  const git = createGitRunner({ spawn: sys.spawn, env: sys.env });
  const wt = createWorktreeGit(git);
  const repo = await prepareClone({ git, fs: sys.fs }, { dir: input.dir, ...job });
  const { story, project } = await jobStory(input, repo);
  for (const name of job.credentials) {
    if (sys.env[name] === undefined) logger.warn(`the job names the credential ${name}, which is not set here`);
  }
  // The worker's own PRD: only this story, its dependencies merged already (they are in the base commit).
  const { dependencies: _merged, ...rest } = story;
  const prd: Prd = { project, feature: job.feature, userStories: [{ ...rest, status: "pending" }] };
  const prdPath = join(input.dir, "state", "prd.json");
  const store = createPrdStore(sys.fs, prdPath, prd, () => sys.clock.iso());
  const services = createWorkerServices({
    ...input,
    credentials: job.credentials,
    store,
    feature: job.feature,
    repo,
    root: join(input.dir, "worktrees"),
    prdPath,
  });
  const none = { kept: [], attempts: story.attempts };
  const check = await services.agent.isInstalled();
  if (!check.ok) return { ...none, reason: "agent-unusable", detail: check.message ?? "the agent is not usable" };
  for (const message of await services.isolation.prepare()) logger.warn(message);
  const pushing = createPushIsolation({ git, wt, local: services.isolation, repo }, job.pushTo);
  const reports: AttemptReport[] = [];
  let loop: LoopResult = { status: "aborted", detail: "stopped before the story started", iterations: 0 };
  try {
    if (!input.signal.aborted) {
      await runRouteStep({ config, store, router: services.router, budget, bus, logger }, input.signal);
      const limits = pipelineLimitsFor(config);
      loop = await runStoryLoop({
        runId: input.runId,
        feature: job.feature,
        workdir: repo,
        config,
        store,
        bus,
        logger,
        signal: input.signal,
        clock: sys.clock,
        budget,
        nowIso: () => sys.clock.iso(),
        startTier: (s) => startTierOf(s, () => initialTierFor(s, config)),
        classify: plannedRouting,
        runStory: (ctx) => runPipeline(services.stages, ctx, limits),
        isolation: pushing,
        onAttempt: (report) => void reports.push(report),
      });
    }
  } finally {
    await services.isolation.finish();
  }
  const kept = await pushKeptRefs({ git, wt, repo }, job.pushTo.remote, attemptRefPrefix(job.feature, job.storyId));
  if (kept.error) logger.error(`could not push the kept attempts to ${job.pushTo.remote}: ${kept.error}`);
  const pushed = pushing.pushed();
  const pushError = pushing.pushError();
  const ended = store.story(job.storyId);
  const { reason, detail } = terminalReason({
    loop,
    story: ended,
    reports,
    deadlineHit: input.deadlineHit(),
    pushed: pushed !== undefined,
    ...(pushError === undefined ? {} : { pushError }),
    spent: budget.spent(),
    limit: budget.limit,
  });
  const commitOf = async (r: AttemptReport) =>
    r.outcome.kind === "passed" ? r.outcome.state.commit : r.keptRef ? wt.revParse(repo, r.keptRef) : undefined;
  const gate = await evidence(reports, commitOf);
  return {
    reason,
    ...(detail === undefined ? {} : { detail }),
    ...(pushed && reason === "passed" ? { branch: pushed } : {}),
    kept: kept.pushed,
    ...(gate ? { gate } : {}),
    attempts: ended.attempts,
  };
}
