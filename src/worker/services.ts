/**
 * What one worker needs, built as `nax run` builds it (app.ts): the agent
 * adapter, git, the test runner, the reviewer, the default pipeline and the
 * local isolation, over the worker's clone, with the job's config. The
 * environment the agent and the quality commands see keeps only the secret
 * variables the job names in `credentials`; every other secret-looking one
 * is dropped, and all values are redacted from what the worker writes.
 */
import type { AgentAdapter } from "../agents/types";
import type { NaxConfig } from "../config/schema";
import type { EventBus } from "../events/bus";
import { createCommandServices } from "../execution/command-services";
import { createGit, type Git } from "../git/git";
import { createGitRunner, type GitRunner } from "../git/run-git";
import { createIsolation, type Isolation } from "../isolation/workspace";
import type { Logger } from "../logger/logger";
import type { Budget } from "../pipeline/budget";
import { createPipelines, type PipelineChoice } from "../pipeline/default-pipeline";
import { createRateLimitGate } from "../pipeline/rate-limit-gate";
import type { PrdStore } from "../prd/store";
import { createRouter } from "../routing/create-router";
import type { Router } from "../routing/router";
import { createRedactingFs } from "../system/redacting-fs";
import { type Env, isSecretName, type Redactor } from "../system/secrets";
import type { Sys } from "../system/sys";
import { createTddGit } from "../tdd/tdd-git";
import { createSmartTestRunner } from "../verification/smart-runner";

/** nax's environment minus every secret-looking variable the job did not name. */
export function workerEnv(env: Env, credentials: readonly string[], secretNames: readonly string[]): Env {
  const kept: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!isSecretName(name, secretNames) || credentials.includes(name)) kept[name] = value;
  }
  return kept;
}

export interface WorkerServiceInput {
  sys: Sys;
  config: NaxConfig;
  credentials: readonly string[];
  redactor: Redactor;
  bus: EventBus;
  logger: Logger;
  budget: Budget;
  store: PrdStore;
  runId: string;
  feature: string;
  /** The worker's clone and where its worktrees go. */
  repo: string;
  root: string;
  prdPath: string;
}

export interface WorkerServices {
  sys: Sys;
  git: Git;
  gitRunner: GitRunner;
  agent: AgentAdapter;
  router: Router;
  /** Each test strategy's stages, built once (the story's routed strategy picks them, as in a local run). */
  pipelineFor: (strategy: string) => PipelineChoice;
  isolation: Isolation;
}

export function createWorkerServices(input: WorkerServiceInput): WorkerServices {
  const { config, redactor } = input;
  const env = { ...workerEnv(input.sys.env, input.credentials, config.security.redactEnvNames) };
  const sys: Sys = { ...input.sys, env, fs: createRedactingFs(input.sys.fs, redactor) };
  // Every agent the tiers or a story may name, the default first (the worker checks it before a story).
  const { agents, agent, tests, reviewer } = createCommandServices(sys, config, redactor);
  const git = createGit({ spawn: sys.spawn, env, redactor });
  const gitRunner = createGitRunner({ spawn: sys.spawn, env });
  const pipelineFor = createPipelines({
    agent,
    agents,
    budget: input.budget,
    clock: sys.clock,
    rateLimitGate: createRateLimitGate(sys.clock),
    readText: (path) => sys.fs.readText(path),
    tests,
    planner: createSmartTestRunner({ changedFiles: (cwd, base) => git.changedFiles(cwd, base), fs: sys.fs }),
    reviewer,
    git,
    tddGit: createTddGit(gitRunner),
  });
  const isolation = createIsolation({
    git: gitRunner,
    fs: sys.fs,
    spawn: sys.spawn,
    env,
    tests,
    config,
    logger: input.logger,
    workdir: input.repo,
    feature: input.feature,
    runId: input.runId,
    root: input.root,
    prdPath: input.prdPath,
    prdBytes: () => input.store.bytes(),
    prdExclusive: (task) => input.store.exclusive(task),
    allowDirty: false,
    commitStory: (commit) => git.commitStory(commit),
    // A worker never merges: its passes are pushed (push-isolation.ts); the story loop marks them passed.
    markPassed: async () => undefined,
  });
  const router = createRouter({ config, env, clock: sys.clock, agent, workdir: input.repo });
  return { sys, git, gitRunner, agent, router, pipelineFor, isolation };
}
