/**
 * The subscribers of one `nax run`: status files, event log, registry,
 * progress, hooks, plugin reporters, the console and the notifier. They are
 * the only writers of state files (ADR 001); app.ts attaches them before
 * `run:started` and detaches them after the drain.
 */
import type { RunView } from "./app";
import { errorMessage } from "./errors";
import type { Detach, EventBus } from "./events/bus";
import type { RunContext } from "./execution/runner";
import type { RunSetup } from "./execution/setup";
import type { Interaction } from "./interaction/interaction";
import { attachNotifier } from "./interaction/notifier";
import type { Logger } from "./logger/logger";
import { attachPluginReporters } from "./plugins/reporters";
import { attachEventLog } from "./subscribers/event-log";
import { attachFeatureSnapshot } from "./subscribers/feature-snapshot";
import { attachHooks } from "./subscribers/hooks";
import { attachProgressFile } from "./subscribers/progress-file";
import { attachConsoleReporter } from "./subscribers/reporter";
import { attachRunRegistry } from "./subscribers/run-registry";
import { attachStatusFile } from "./subscribers/status-file";
import type { StatusRunInfo } from "./subscribers/status-reducer";
import type { Redactor } from "./system/secrets";
import type { Sys } from "./system/sys";

/** Subscribers write nothing before `run:started`, so attaching them early writes nothing for a refused run. */
export function attachSubscribers(
  setup: RunSetup,
  sys: Sys,
  bus: EventBus,
  logger: Logger,
  view: RunView,
  context: Pick<RunContext, "store" | "lockReleased"> & {
    redactor: Redactor;
    costSpent: () => number;
    interaction?: Interaction;
  },
) {
  const { store, redactor } = context;
  const info: StatusRunInfo = {
    runId: setup.runId,
    feature: setup.feature,
    startedAt: setup.startedAt,
    pid: sys.pid,
    hostname: sys.hostname,
    dryRun: false,
    costLimit: setup.config.execution.costLimit,
  };
  const { project, feature } = setup.paths;
  const detaches: Detach[] = [
    attachStatusFile(bus, { fs: sys.fs, clock: sys.clock, path: project.status, runInfo: info, logger }),
    attachFeatureSnapshot(bus, { fs: sys.fs, path: feature.status, runInfo: info, logger }),
    attachEventLog(bus, { fs: sys.fs, path: feature.runLog(setup.runId), logger }),
    attachRunRegistry(bus, {
      fs: sys.fs,
      naxHome: sys.naxHome,
      workdir: setup.workdir,
      project: setup.project,
      prdProject: setup.prd.project,
      feature: setup.feature,
      statusPath: feature.status,
      eventsDir: feature.runsDir,
      logger,
    }),
    attachProgressFile(bus, { fs: sys.fs, path: feature.progress, logger }),
    attachHooks(bus, {
      spawn: sys.spawn,
      env: sys.env,
      hooks: setup.hooks,
      workdir: setup.workdir,
      logger,
      feature: setup.feature,
      agent: setup.config.autoMode.defaultAgent,
      costLimit: setup.config.execution.costLimit,
      costSpent: context.costSpent,
      lockReleased: context.lockReleased,
      redactor,
    }),
    attachPluginReporters(bus, {
      plugins: setup.plugins.loaded,
      logger,
      clock: sys.clock,
      redactor,
      lockReleased: context.lockReleased,
    }),
    attachConsoleReporter(bus, {
      write: view.write,
      isTTY: view.isTTY,
      mode: view.mode,
      verbose: view.verbose,
      paint: view.paint,
      ...(view.columns ? { columns: view.columns } : {}),
      ...(view.interjection ? { interjection: view.interjection } : {}),
      clock: sys.clock,
      totalStories: store.current().userStories.length,
    }),
  ];
  if (context.interaction) detaches.push(attachNotifier(bus, context.interaction, setup.config));
  return () => {
    for (const detach of detaches) detach();
    // After the drain: nothing is asked any more; servers and pollers stop.
    context.interaction?.close().catch((error: unknown) => {
      logger.warn(`interaction channels did not close cleanly: ${errorMessage(error)}`);
    });
  };
}
