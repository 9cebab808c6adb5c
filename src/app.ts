/**
 * The composition root for `nax run`: from a request and a host (the system,
 * the process, the console) it loads the setup, then builds what one run
 * needs — bus, logger, budget, agent adapter, git, test runner, reviewer, the
 * default pipeline and every subscriber — and hands them to the Runner.
 * The run's one redactor is built here, from the environment and the config,
 * and given to everything through which data leaves the process (trap 30).
 */
import { sep } from "node:path";
import { createRunAcceptance } from "./acceptance/services";
import { checkRunAgents } from "./agents/run-check";
import { controlPaths } from "./control/command";
import { createRunControl } from "./control/run-control";
import { pausableGate } from "./control/session-gate";
import { errorMessage } from "./errors";
import { createEventBus, type EventBus } from "./events/bus";
import { createCommandServices } from "./execution/command-services";
import { runDeferredGate } from "./execution/deferred-gate";
import { describeDryRun, planDryRun, plannedRouting } from "./execution/dry-run";
import { startTierOf } from "./execution/escalation";
import { runPrechecks, warningsOrRefuse } from "./execution/precheck/run-checks";
import { resumeInterrupted } from "./execution/resume";
import { runRouteStep } from "./execution/route-step";
import { executeRun, type RunContext, type RunnerHost, type RunReport, type RunServices } from "./execution/runner";
import { loadRunSetup, type RunRequest, type RunSetup } from "./execution/setup";
import { createPrdCompletion } from "./execution/story-outcome";
import { checkWorkingTree } from "./execution/tree-check";
import { createGit } from "./git/git";
import { createGitRunner } from "./git/run-git";
import { buildInteraction } from "./interaction/build";
import type { Interaction } from "./interaction/interaction";
import { createLandingQuestions } from "./interaction/landing";
import { worktreeRoot } from "./isolation/names";
import { createIsolation } from "./isolation/workspace";
import { createLogger, type Logger } from "./logger/logger";
import { createBudget } from "./pipeline/budget";
import { createPipelines } from "./pipeline/default-pipeline";
import { pipelineLimitsFor, runPipeline } from "./pipeline/pipeline";
import { createRateLimitGate } from "./pipeline/rate-limit-gate";
import { pluginContext } from "./plugins/context";
import { pluginSubscriberNames } from "./plugins/reporters";
import { withPluginGates } from "./plugins/reviewer";
import { withPluginRouter } from "./plugins/router";
import { readBaselineCount } from "./readers/baseline-count";
import { createRouter } from "./routing/create-router";
import { initialTierFor } from "./routing/tier";
import { attachSubscribers } from "./run-subscribers";
import type { ConsoleInterjection, Paint, ReporterMode } from "./subscribers/reporter";
import { timedFetch } from "./system/http";
import { createRedactingFs } from "./system/redacting-fs";
import { createRedactor, type Redactor } from "./system/secrets";
import type { Sys } from "./system/sys";
import type { TerminalInput } from "./system/terminal-input";
import { createTddGit } from "./tdd/tdd-git";
import { createSmartTestRunner } from "./verification/smart-runner";

export interface RunView {
  /** Raw console output: the reporter writes its own newlines and carriage returns. */
  write(text: string): void;
  isTTY: boolean;
  mode: ReporterMode;
  verbose: boolean;
  paint: Paint;
  /** The terminal's width, when stdout is one. */
  columns?: () => number | undefined;
  /** Filled in by the reporter; the CLI calls it before printing anything else on the console. */
  interjection?: ConsoleInterjection;
  /** Lines typed in the run's terminal: the `cli` interaction channel (only when it is a TTY). */
  terminal?: TerminalInput;
}

export interface AppHost extends RunnerHost {
  view: RunView;
}

export type AppReport = RunReport | { runId: string; status: "dry-run"; exitCode: 0 };

/** Run-time records become `log` events, so the event log keeps them and the reporter shows the loud ones (`nax worker` too). */
export function createBusLogger(bus: EventBus, sys: Pick<Sys, "clock">): Logger {
  return createLogger(
    () => sys.clock.iso(),
    [
      ({ level, message, storyId, stage, data }) =>
        bus.emit("log", {
          level,
          message,
          ...(storyId === undefined ? {} : { storyId }),
          ...(stage === undefined ? {} : { stage }),
          ...(data === undefined ? {} : { data }),
        }),
    ],
  );
}

function createRunServices(setup: RunSetup, host: AppHost, context: RunContext & { redactor: Redactor }): RunServices {
  const { sys } = host;
  const { redactor } = context;
  const { config, workdir } = setup;
  const bus = createEventBus({
    runId: setup.runId,
    now: () => sys.clock.iso(),
    onSubscriberError: (name, event, error) =>
      host.warn(`nax: ${name} failed on ${event.type}: ${errorMessage(error)}`),
  });
  const logger = createBusLogger(bus, sys);
  const budget = createBudget(config.execution.costLimit);
  const interaction = buildInteraction({
    config,
    sys,
    bus,
    logger,
    runId: setup.runId,
    feature: setup.feature,
    runsDir: setup.paths.feature.runsDir,
    signal: context.signal,
    fetch: timedFetch(10_000),
    ...(host.view.terminal ? { terminal: host.view.terminal } : {}),
    // A question in the terminal goes on a clean line, not after the live progress line.
    write: (text) => {
      host.view.interjection?.clearLive();
      host.view.write(text);
    },
  });
  const ask = interaction ? (question: Parameters<Interaction["ask"]>[0]) => interaction.ask(question) : undefined;
  const env = { ...sys.env };
  const { agents, agent, tests, reviewer: commandReviewer } = createCommandServices(sys, config, redactor);
  const worktrees = worktreeRoot(sys.naxHome, workdir);
  // The run's worktrees are the checkout's repository: its author is asked once, not once per worktree.
  const repositoryOf = (cwd: string) => (cwd.startsWith(`${worktrees}${sep}`) ? workdir : cwd);
  const git = createGit({ spawn: sys.spawn, env, redactor, repositoryOf });
  const plugins = setup.plugins.loaded;
  const router = withPluginRouter(
    createRouter({ config, env, clock: sys.clock, agent, workdir }),
    plugins,
    config,
    sys.clock,
  );
  // The precheck judges the base commit with the project's own commands; plugin gates judge stories only.
  const reviewer = withPluginGates(commandReviewer, plugins, sys.clock);
  const extraContext = pluginContext(plugins, sys.clock);
  const control = createRunControl({
    fs: sys.fs,
    paths: controlPaths(setup.paths.feature.runsDir),
    runId: setup.runId,
    bus,
    clock: sys.clock,
    logger,
    store: context.store,
    abortRun: (reason) => context.abort(reason),
  });
  const pipelineFor = createPipelines({
    agent,
    agents,
    budget,
    clock: sys.clock,
    // One gate for the run: a rate limit on any lane, or `nax pause`, holds every lane's next session.
    rateLimitGate: pausableGate(createRateLimitGate(sys.clock), control),
    readText: (path) => sys.fs.readText(path),
    tests,
    planner: createSmartTestRunner({ changedFiles: (cwd, base) => git.changedFiles(cwd, base), fs: sys.fs }),
    reviewer,
    git,
    tddGit: createTddGit(createGitRunner({ spawn: sys.spawn, env })),
    ...(extraContext ? { extraContext } : {}),
    // The event log holds each merged commit's proving run: the runner's count of the story's base.
    baselineCount: (baseRef) => readBaselineCount(sys.fs, workdir, setup.feature, baseRef),
  });
  const completion = createPrdCompletion(context.store);
  const parts = { sys, env, agent, bus, logger, budget, tests, store: context.store };
  const acceptance = createRunAcceptance(setup, parts, () => isolation.integrationReady());
  const isolation = createIsolation({
    git: createGitRunner({ spawn: sys.spawn, env }),
    fs: sys.fs,
    spawn: sys.spawn,
    env,
    tests,
    config,
    logger,
    workdir,
    feature: setup.feature,
    runId: setup.runId,
    root: worktrees,
    prdPath: setup.paths.feature.prd,
    prdBytes: () => context.store.bytes(),
    prdExclusive: (task) => context.store.exclusive(task),
    ...(setup.prd.branchName === undefined ? {} : { branchName: setup.prd.branchName }),
    allowDirty: setup.allowDirty,
    commitStory: (input) => git.commitStory(input),
    ...(acceptance ? { acceptanceGate: acceptance.storyGate } : {}),
    ...(ask ? { landing: createLandingQuestions(ask) } : {}),
    markPassed: (ctx, outcome) =>
      completion.markPassed(ctx.story.id, {
        routing: outcome.state.routing,
        attempts: ctx.attempt,
        verified: outcome.state.unverified === undefined,
      }),
  });
  const limits = pipelineLimitsFor(config);
  const passedStoryIds = () =>
    context.store.current().userStories.flatMap((s) => (s.status === "passed" ? [s.id] : []));
  const gate = async (signal: AbortSignal) =>
    runDeferredGate(
      {
        config,
        workdir: await isolation.integrationReady(),
        tests,
        git,
        bus,
        logger,
        completedStoryIds: passedStoryIds,
      },
      signal,
    );
  return {
    bus,
    logger,
    budget,
    checkAgent: () => checkRunAgents(config, agents),
    drainAfterLock: pluginSubscriberNames(plugins),
    attachSubscribers: () =>
      attachSubscribers(setup, sys, bus, logger, host.view, {
        ...context,
        costSpent: () => budget.spent(),
        ...(interaction ? { interaction } : {}),
      }),
    resume: () =>
      resumeInterrupted({
        fs: sys.fs,
        store: context.store,
        feature: setup.feature,
        liveStatusPath: setup.paths.project.status,
      }),
    checkTree: () => checkWorkingTree(git, workdir, setup.allowDirty),
    precheck: async (signal) => {
      const results = await runPrechecks({
        config,
        workdir,
        env,
        gitRunner: createGitRunner({ spawn: sys.spawn, env }),
        tests,
        reviewer: commandReviewer,
        signal,
        skipSlow: setup.skipPrecheck,
      });
      // A check cut short (Ctrl-C, or another check refused first) is not a verdict: the runner stops anyway.
      return signal.aborted ? [] : warningsOrRefuse(results);
    },
    prepareIsolation: () => isolation.prepare(),
    finishIsolation: async () => {
      // The stories are merged and safe on the integration branch whatever happens here: a failure to
      // update the checkout is told, not a crash of a run whose work is done.
      await isolation.finish().catch((error: unknown) => {
        logger.error(`could not bring the checkout up to the integration branch: ${errorMessage(error)}`);
      });
    },
    isolation,
    control,
    route: (signal) => runRouteStep({ config, store: context.store, router, budget, bus, logger }, signal),
    runStory: (ctx) => {
      // Routing ran before any attempt and persisted the story's strategy; the strategy picks the stage list.
      const choice = pipelineFor(plannedRouting(ctx.story, config.tdd).testStrategy);
      if (choice.unknown) {
        logger.warn(`unknown test strategy "${choice.unknown}": running ${choice.strategy}`, { storyId: ctx.story.id });
      }
      return runPipeline(choice.stages, ctx, limits);
    },
    classify: (story) => plannedRouting(story, config.tdd),
    startTier: (story) => startTierOf(story, () => initialTierFor(story, config)),
    ...(ask ? { ask } : {}),
    ...(config.execution.regressionGate.mode === "deferred" ? { deferredGate: gate } : {}),
    ...(acceptance ? { acceptance: acceptance.services } : {}),
  };
}

/** The values a run redacts: secret-named variables of nax's environment and of the tiers' `env`, and the configured names. */
function runRedactor(setup: RunSetup, env: Sys["env"]): Redactor {
  const tierEnvs = Object.values(setup.config.models).flatMap((spec) =>
    typeof spec === "string" ? [] : [spec.env ?? {}],
  );
  const { webhook, telegram } = setup.config.interaction;
  // The channel secrets' variables are redacted whatever they are called.
  const names = [...setup.config.security.redactEnvNames, webhook.secretEnv, telegram.tokenEnv];
  return createRedactor([env, ...tierEnvs], names);
}

/**
 * The host a run sees: its file system, console and warnings all redact (trap 30, docs/traps.md), so every
 * writer the run builds (PRD store, status, event log, progress, registry) and every line it prints is covered.
 */
function redactingHost(host: AppHost, redactor: Redactor): AppHost {
  return {
    ...host,
    sys: { ...host.sys, fs: createRedactingFs(host.sys.fs, redactor) },
    warn: (message) => host.warn(redactor.text(message)),
    view: { ...host.view, write: (text) => host.view.write(redactor.text(text)) },
  };
}

/** `nax run`: setup (read-only), then the dry-run plan or the Runner. */
export async function runFeature(request: RunRequest, unsafeHost: AppHost): Promise<AppReport> {
  const setup = await loadRunSetup(unsafeHost.sys, request);
  const redactor = runRedactor(setup, unsafeHost.sys.env);
  const host = redactingHost(unsafeHost, redactor);
  if (request.dryRun) {
    const plan = planDryRun(setup);
    if (host.view.mode === "json") host.view.write(`${JSON.stringify(plan, null, 2)}\n`);
    else for (const line of describeDryRun(plan)) host.view.write(`${line}\n`);
    return { runId: setup.runId, status: "dry-run", exitCode: 0 };
  }
  return executeRun(setup, host, (s, context) => createRunServices(s, host, { ...context, redactor }));
}
