/**
 * The Runner: the run's lifecycle (README "What a run does") in order, and nothing else. The crash
 * handler goes in first, with everything it reads declared before it (trap
 * 4); the lock is taken inside the try whose finally releases it (trap 8); a
 * run that does not get the lock writes nothing (trap 24); `run:started` and
 * then exactly one of `run:completed` / `run:crashed` are emitted. Shutting
 * down, every subscriber but the hooks is drained (the state files say how the
 * run ended), then the lock goes, and only then do the terminal hooks run: a
 * hanging hook can never hold the lock.
 */
import type { AgentInstallCheck } from "../agents/types";
import { ControlAbort } from "../control/run-control";
import { errorMessage, NaxError } from "../errors";
import type { Detach } from "../events/bus";
import type { NaxEventMap, RunTerminalStatus } from "../events/events";
import { countStories } from "../prd/counts";
import { createPrdStore, type PrdStore } from "../prd/store";
import { HOOKS_SUBSCRIBER } from "../subscribers/hooks";
import type { Sys } from "../system/sys";
import { type AcceptanceServices, type AcceptedLoop, EXIT_ON_OVERRIDE, runWithAcceptance } from "./acceptance-step";
import { type CrashHandler, installCrashHandler, type ProcessLike } from "./crash-handler";
import { acquireLock, type HeldLock } from "./lock";
import { type GateResult, runStoriesAndGate, type StoryServices } from "./run-stories";
import type { RunSetup } from "./setup";

export type { GateResult };

export interface RunServices extends StoryServices {
  /** `agent`: which agent the check is about (absent: the default agent). */
  checkAgent(): Promise<AgentInstallCheck & { agent?: string }>;
  /** Attaches every subscriber; they write nothing before `run:started`. */
  attachSubscribers(): Detach;
  /** Puts an interrupted run's stories back to pending (their work is in their worktrees); messages for the log. */
  resume?(): Promise<string[]>;
  /** Throws when the project is not a git repo or has the user's own uncommitted changes; a note when allowed. */
  checkTree?(): Promise<string | undefined>;
  /**
   * The checks shared with `nax precheck` (execution/precheck/run-checks.ts): throws the refusal, else
   * warnings. `signal` stops it (its commands' process groups) when the run refuses on another check first.
   */
  precheck?(signal: AbortSignal): Promise<string[]>;
  /** After the tree check: the integration branch and worktree, leftover worktrees adopted; messages for the log. */
  prepareIsolation?(): Promise<string[]>;
  /** When the loop ends: the user's checkout brought up to the integration branch (or told how), worktrees removed. */
  finishIsolation?(): Promise<void>;
  /** Subscribers drained only after the lock is released, like the hooks (plugin reporters). */
  drainAfterLock?: string[];
  /** After `run:started`, before any attempt: every story still to run gets its routing decision (route-step.ts). */
  route?(signal: AbortSignal): Promise<void>;
  /** `acceptance.enabled`: the tests written, RED and frozen before any story; the final gate after them. */
  acceptance?: AcceptanceServices;
}

export interface RunContext {
  signal: AbortSignal;
  store: PrdStore;
  /** Resolves once the lock is released (or was never taken): the terminal hooks wait for it. */
  lockReleased: Promise<void>;
  /** Stops the run as SIGINT does (`nax abort`): the signal aborts with `reason`. */
  abort(reason: Error): void;
}

export type CreateRunServices = (setup: RunSetup, context: RunContext) => RunServices;

export interface RunnerHost {
  sys: Sys;
  /** Where signals and uncaught errors arrive: `process` in production. */
  process: ProcessLike;
  /** Used only by the crash handler's deadline and second-signal paths. */
  exit(code: number): void;
  /** Messages that cannot wait for the bus (a stale lock replaced); must not throw. */
  warn(message: string): void;
}

export interface RunReport {
  runId: string;
  status: RunTerminalStatus | "crashed" | "interrupted";
  exitReason?: string;
  exitCode: number;
}

function agentProblem(check: AgentInstallCheck, name: string): NaxError {
  const what = (check.message ?? `the ${name} agent is not usable`).replace(/\.$/, "");
  const fix = check.fix ? ` Fix: ${check.fix} (or set agents.${name}.command in nax/config.json).` : "";
  return new NaxError("AGENT_NOT_FOUND", `${what}; no story was started.${fix}`, { agent: name });
}

/** Everything the crash handler and the `finally` read, in one place, created before the handler (trap 4). */
interface RunScope {
  controller: AbortController;
  store: PrdStore;
  startedMs: number;
  /** Stale lock replaced, interrupted work put aside: told in the run's log, or on stderr if it never starts. */
  staleWarnings: string[];
  phase: "setup" | "running" | "ended";
  services?: RunServices;
  lock?: HeldLock;
  detach?: Detach;
  lockReleased: Promise<void>;
  markReleased: () => void;
}

/** State files first, then the lock, then the hooks (bounded on the shutdown path by the hooks themselves). */
async function shutDown(scope: RunScope): Promise<void> {
  await scope.services?.bus.drain({ except: [HOOKS_SUBSCRIBER, ...(scope.services.drainAfterLock ?? [])] });
  await scope.lock?.release();
  scope.markReleased();
  await scope.services?.bus.drain();
}

/** `run:crashed`, at most once and only for a run that started. */
function emitCrash(scope: RunScope, data: Omit<NaxEventMap["run:crashed"], "counts">): void {
  if (scope.phase !== "running" || !scope.services) return;
  scope.phase = "ended";
  scope.services.bus.emit("run:crashed", { ...data, counts: countStories(scope.store.current()) });
}

/** Lock, services, agent check, subscribers, `run:started`. False when interrupted before the run began. */
async function begin(setup: RunSetup, host: RunnerHost, scope: RunScope, create: CreateRunServices): Promise<boolean> {
  const { sys } = host;
  scope.lock = await acquireLock(sys, {
    path: setup.paths.project.lock,
    runId: setup.runId,
    feature: setup.feature,
    startedAt: setup.startedAt,
    force: setup.force,
    // Told once: in the run's log (and so on the console) once it starts, on stderr if it never does.
    onStale: (message) => void scope.staleWarnings.push(message),
  });
  const services = create(setup, {
    signal: scope.controller.signal,
    store: scope.store,
    lockReleased: scope.lockReleased,
    abort: (reason) => scope.controller.abort(reason),
  });
  scope.services = services;
  // The tree check only reads git and the precheck runs the project's own commands on the base commit: both
  // run while the agent CLI starts (seconds, for a real test suite), and their verdicts are read after the
  // agent's, in that order.
  const tree = services.checkTree?.() ?? Promise.resolve(undefined);
  tree.catch(() => undefined);
  const prechecking = new AbortController();
  const precheck =
    services.precheck?.(AbortSignal.any([scope.controller.signal, prechecking.signal])) ?? Promise.resolve([]);
  precheck.catch(() => undefined);
  // Leaving early (a refusal, an interrupt) stops the precheck and lets both checks settle: none of their
  // processes outlives the run's answer.
  const settleChecks = async () => {
    prechecking.abort();
    await Promise.all([precheck.catch(() => undefined), tree.catch(() => undefined)]);
  };
  try {
    const check = await services.checkAgent();
    if (!check.ok) throw agentProblem(check, check.agent ?? setup.config.autoMode.defaultAgent);
    if (scope.controller.signal.aborted) {
      await settleChecks();
      return false;
    }
    const treeNote = await tree;
    // Before `run:started`: the live status still describes the interrupted run, and its counts are the resumed ones.
    scope.staleWarnings.push(...((await services.resume?.()) ?? []));
    if (treeNote) scope.staleWarnings.push(treeNote);
  } catch (error) {
    await settleChecks();
    throw error;
  }
  scope.staleWarnings.push(...(await precheck));
  scope.staleWarnings.push(...((await services.prepareIsolation?.()) ?? []));
  if (scope.controller.signal.aborted) return false;
  scope.detach = services.attachSubscribers();
  scope.phase = "running";
  services.bus.emit("run:started", {
    feature: setup.feature,
    project: setup.project,
    workdir: setup.workdir,
    pid: sys.pid,
    hostname: sys.hostname,
    dryRun: false,
    costLimit: setup.config.execution.costLimit,
    counts: countStories(scope.store.current()),
  });
  for (const message of scope.staleWarnings) services.logger.warn(message);
  services.control?.start(scope.controller.signal);
  return true;
}

/** `run:completed` with the real counts, or `run:crashed` for an interrupted run; the exit code. */
function end(setup: RunSetup, host: RunnerHost, scope: RunScope, loop: AcceptedLoop, crash: CrashHandler): RunReport {
  const services = scope.services as RunServices;
  if (loop.status === "aborted") {
    const interruption = crash.interruption();
    const signal = interruption?.kind === "signal" ? interruption.signal : undefined;
    const reason = scope.controller.signal.reason;
    const commanded = reason instanceof ControlAbort ? reason.message : undefined;
    emitCrash(scope, {
      ...(signal ? { signal } : { error: commanded ?? loop.detail }),
      ...(loop.storyId ? { storyId: loop.storyId } : {}),
    });
    const exitCode = interruption?.exitCode ?? (commanded ? 130 : 1);
    return { runId: setup.runId, status: "crashed", exitReason: commanded ?? loop.detail, exitCode };
  }
  scope.phase = "ended";
  const exitReason = loop.exitReason === undefined ? {} : { exitReason: loop.exitReason };
  services.bus.emit("run:completed", {
    status: loop.status,
    ...exitReason,
    counts: countStories(scope.store.current()),
    costSpent: services.budget.spent(),
    ...((services.budget.estimated?.() ?? 0) > 0 ? { costEstimated: services.budget.estimated?.() } : {}),
    iterations: loop.iterations,
    durationMs: Math.max(0, host.sys.clock.now() - scope.startedMs),
  });
  const completedCode = loop.overridden && loop.overridden.length > 0 ? EXIT_ON_OVERRIDE : 0;
  return {
    runId: setup.runId,
    status: loop.status,
    ...exitReason,
    exitCode: loop.status === "completed" ? completedCode : 1,
  };
}

export async function executeRun(setup: RunSetup, host: RunnerHost, create: CreateRunServices): Promise<RunReport> {
  const { sys } = host;
  const released = Promise.withResolvers<void>();
  const scope: RunScope = {
    controller: new AbortController(),
    store: createPrdStore(sys.fs, setup.paths.feature.prd, setup.prd, () => sys.clock.iso()),
    startedMs: sys.clock.now(),
    staleWarnings: [...setup.warnings],
    phase: "setup",
    lockReleased: released.promise,
    markReleased: () => released.resolve(),
  };
  const crash = installCrashHandler({
    target: host.process,
    exit: host.exit,
    processes: sys.processes,
    log: host.warn,
    onInterrupt: () => scope.controller.abort(),
    onFatal: async (error) => {
      emitCrash(scope, { error: errorMessage(error) });
      await shutDown(scope);
    },
  });
  try {
    if (!(await begin(setup, host, scope, create))) {
      return { runId: setup.runId, status: "interrupted", exitCode: crash.interruption()?.exitCode ?? 130 };
    }
    const services = scope.services as RunServices;
    const signal = scope.controller.signal;
    await services.route?.(signal);
    const loop = await runWithAcceptance(services.acceptance, services.logger, signal, () =>
      runStoriesAndGate({ setup, services, store: scope.store, clock: sys.clock, signal }),
    );
    // Commands the run never applied are told expired, so none of them lands on the next run by surprise.
    if (loop.status !== "aborted") await services.control?.finish();
    await services.finishIsolation?.();
    return end(setup, host, scope, loop, crash);
  } catch (error) {
    emitCrash(scope, { error: errorMessage(error) });
    throw error;
  } finally {
    // Whatever ended the run, its command poller must not keep the process alive.
    scope.services?.control?.stop();
    if (scope.phase === "setup") for (const message of scope.staleWarnings) host.warn(message);
    await shutDown(scope);
    scope.detach?.();
    crash.dispose();
  }
}
