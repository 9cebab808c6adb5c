/**
 * The status file as a pure reducer: events in, `StatusFile` out. Both the
 * live `nax/status.json` and the feature snapshot are folded by this one
 * function, so they can never disagree about what a run did. A terminal
 * status is sticky: nothing after `run:completed` or `run:crashed` can turn a
 * run back into `running` (trap 16).
 */
import type { AnyNaxEvent } from "../events/events";
import type { StoryCounts } from "../prd/counts";
import type { RunStatus, StatusFile } from "../state/status-file";

export interface StatusRunInfo {
  runId: string;
  feature: string;
  /** When the run began (the run id's time); elapsed time is measured from here. */
  startedAt: string;
  pid: number;
  hostname: string;
  dryRun: boolean;
  costLimit: number;
  counts?: StoryCounts;
}

const EMPTY_COUNTS: StoryCounts = { total: 0, passed: 0, failed: 0, paused: 0, blocked: 0, skipped: 0, pending: 0 };
const TERMINAL: ReadonlySet<RunStatus> = new Set(["completed", "failed", "stalled", "crashed", "precheck-failed"]);
/** `nax status` shows the latest switches; a run that switches all night keeps the file small. */
const MAX_SWITCHES_KEPT = 20;

/** The story's lane (and `current`) now runs on `agent` with `model`. */
function withAgent(s: StatusFile, storyId: string, agent: string, model: string): StatusFile {
  const on = <T extends { storyId: string }>(c: T): T => (c.storyId === storyId ? { ...c, agent, model } : c);
  return { ...s, current: s.current ? on(s.current) : s.current, ...(s.lanes ? { lanes: s.lanes.map(on) } : {}) };
}

export function isTerminal(status: StatusFile): boolean {
  return TERMINAL.has(status.run.status);
}

export function initialStatus(info: StatusRunInfo): StatusFile {
  return {
    version: 1,
    run: {
      id: info.runId,
      feature: info.feature,
      startedAt: info.startedAt,
      status: "running",
      pid: info.pid,
      hostname: info.hostname,
      dryRun: info.dryRun,
    },
    progress: { ...(info.counts ?? EMPTY_COUNTS) },
    cost: { spent: 0, limit: info.costLimit },
    current: null,
    lanes: [],
    rateLimit: null,
    iterations: 0,
    startedAt: info.startedAt,
    updatedAt: info.startedAt,
    durationMs: 0,
    lastHeartbeat: info.startedAt,
  };
}

/** Elapsed time from the run's start to `at`; never negative, never NaN. */
export function elapsedMs(startedAt: string, at: string): number {
  const ms = Date.parse(at) - Date.parse(startedAt);
  return Number.isFinite(ms) ? Math.max(0, ms) : 0;
}

/** One story moved from pending to `bucket`, when the event did not carry the PRD's own counts. */
function tally(progress: StoryCounts, bucket: "passed" | "failed" | "paused"): StoryCounts {
  return { ...progress, [bucket]: progress[bucket] + 1, pending: Math.max(0, progress.pending - 1) };
}

function stamp(status: StatusFile, at: string): StatusFile {
  return { ...status, updatedAt: at, durationMs: elapsedMs(status.startedAt, at) };
}

/**
 * Folds one event into the status. Returns the same object when the event
 * does not change the file, so writers can skip a write.
 */
export function reduceStatus(status: StatusFile, event: AnyNaxEvent): StatusFile {
  if (isTerminal(status)) return status;
  const next = applyEvent(status, event);
  return next === status ? status : stamp(next, event.at);
}

function applyEvent(s: StatusFile, event: AnyNaxEvent): StatusFile {
  switch (event.type) {
    case "run:started": {
      const d = event.data;
      return {
        ...s,
        run: {
          ...s.run,
          id: event.runId,
          feature: d.feature,
          status: "running",
          pid: d.pid,
          hostname: d.hostname,
          dryRun: d.dryRun,
        },
        progress: { ...d.counts },
        cost: { ...s.cost, limit: d.costLimit },
        lastHeartbeat: event.at,
      };
    }
    case "story:started": {
      const d = event.data;
      const current = {
        storyId: d.storyId,
        title: d.title,
        complexity: d.complexity,
        testStrategy: d.testStrategy,
        model: d.model,
        tier: d.tier,
        ...(d.agent === undefined ? {} : { agent: d.agent }),
        attempt: d.attempt,
        phase: "starting",
        ...(d.lane === undefined ? {} : { lane: d.lane }),
      };
      const lanes = [...(s.lanes ?? []).filter((l) => l.storyId !== d.storyId), current].sort(
        (a, b) => (a.lane ?? 0) - (b.lane ?? 0),
      );
      return { ...s, current, lanes, rateLimit: null, iterations: s.iterations + 1 };
    }
    case "stage:started": {
      const { storyId, stage } = event.data;
      const lanes = s.lanes?.map((l) => (l.storyId === storyId ? { ...l, phase: stage } : l));
      const withLanes = lanes ? { ...s, lanes } : s;
      if (!s.current || s.current.storyId !== storyId) return withLanes;
      return { ...withLanes, current: { ...s.current, phase: stage } };
    }
    case "agent:session-started": {
      const { storyId, agent, model } = event.data;
      const onAgent = agent === undefined ? s : withAgent(s, storyId, agent, model);
      return onAgent.rateLimit ? { ...onAgent, rateLimit: null } : onAgent;
    }
    case "agent:session-completed": {
      const d = event.data;
      const estimated = d.costEstimated ? { estimated: (s.cost.estimated ?? 0) + d.costUsd } : {};
      return { ...s, cost: { ...s.cost, spent: s.cost.spent + d.costUsd, ...estimated }, rateLimit: null };
    }
    case "agent:switched": {
      const d = event.data;
      const entry = { storyId: d.storyId, from: d.from, to: d.to, reason: d.reason, at: event.at };
      const agentSwitches = [...(s.agentSwitches ?? []), entry].slice(-MAX_SWITCHES_KEPT);
      return { ...withAgent(s, d.storyId, d.to, d.model), agentSwitches };
    }
    case "routing:completed": {
      const d = event.data;
      if (d.costSource === "none") return s;
      const spent = s.cost.spent + d.costUsd;
      return { ...s, cost: { ...s.cost, spent, routing: { usd: d.costUsd, source: d.costSource } } };
    }
    case "agent:rate-limited":
      return { ...s, rateLimit: { waitingUntil: event.data.until, reason: event.data.reason } };
    case "story:completed":
      return {
        ...laneDone(s, event.data.storyId),
        progress: event.data.counts ?? tally(s.progress, "passed"),
        rateLimit: null,
      };
    case "story:failed":
      return {
        ...laneDone(s, event.data.storyId),
        progress: event.data.counts ?? tally(s.progress, "failed"),
        rateLimit: null,
      };
    case "story:paused":
      return {
        ...laneDone(s, event.data.storyId),
        progress: event.data.counts ?? tally(s.progress, "paused"),
        rateLimit: null,
      };
    case "run:paused":
      return { ...s, progress: { ...event.data.counts }, run: { ...s.run, exitReason: event.data.reason } };
    case "run:completed": {
      const d = event.data;
      const run = { ...s.run, status: d.status };
      return {
        ...s,
        run: d.exitReason === undefined ? run : { ...run, exitReason: d.exitReason },
        progress: { ...d.counts },
        current: null,
        lanes: [],
        rateLimit: null,
        // A question cannot outlive its run: no one is left to hear the answer.
        ...(s.questions ? { questions: [] } : {}),
      };
    }
    case "interaction:asked":
      return asked(s, event);
    case "interaction:answered":
    case "interaction:fallback":
      return settled(s, event.data.questionId);
    case "run:crashed":
      return crash(s, event);
    case "heartbeat":
      return { ...s, lastHeartbeat: event.at };
    default:
      // Stage outcomes, verification, rectify/autofix, logs...: not part of the status file.
      return s;
  }
}

/** A question waits: listed, and its story's lane shows `paused` with the question's id. */
function asked(s: StatusFile, event: Extract<AnyNaxEvent, { type: "interaction:asked" }>): StatusFile {
  const d = event.data;
  const question = {
    id: d.questionId,
    kind: d.kind,
    prompt: d.prompt,
    choices: d.choices,
    fallback: d.fallback,
    askedAt: event.at,
    expiresAt: d.expiresAt,
    ...(d.storyId === undefined ? {} : { storyId: d.storyId }),
    ...(d.lane === undefined ? {} : { lane: d.lane }),
  };
  const pause = (l: Lane): Lane => (l.storyId === d.storyId ? { ...l, phase: "paused", questionId: d.questionId } : l);
  const questions = [...(s.questions ?? []).filter((q) => q.id !== d.questionId), question];
  return { ...s, questions, ...withLanes(s, pause) };
}

/** The question is answered (or fell back): gone from the list, its lane back at work. */
function settled(s: StatusFile, id: string): StatusFile {
  const resume = (l: Lane): Lane => {
    if (l.questionId !== id) return l;
    const { questionId: _answered, ...rest } = l;
    return { ...rest, phase: "answered" };
  };
  const questions = (s.questions ?? []).filter((q) => q.id !== id);
  return { ...s, questions, ...withLanes(s, resume) };
}

type Lane = NonNullable<StatusFile["current"]>;

function withLanes(s: StatusFile, change: (lane: Lane) => Lane): Pick<StatusFile, "current" | "lanes"> {
  return { current: s.current ? change(s.current) : null, ...(s.lanes ? { lanes: s.lanes.map(change) } : {}) };
}

/** A story's lane is free again; `current` moves to another lane still at work, if any. */
function laneDone(s: StatusFile, storyId: string): StatusFile {
  const lanes = (s.lanes ?? []).filter((l) => l.storyId !== storyId);
  return { ...s, current: lanes.at(-1) ?? null, ...(s.lanes ? { lanes } : {}) };
}

function crash(s: StatusFile, event: Extract<AnyNaxEvent, { type: "run:crashed" }>): StatusFile {
  const d = event.data;
  const run: StatusFile["run"] = { ...s.run, status: "crashed", crashedAt: event.at };
  if (d.signal !== undefined) run.crashSignal = d.signal;
  if (d.error !== undefined) run.exitReason = d.error;
  // `current` is kept: it tells `nax diagnose` which story was running when the run died.
  const questions = s.questions ? { questions: [] } : {};
  return { ...s, run, progress: d.counts ? { ...d.counts } : s.progress, rateLimit: null, ...questions };
}

/** A heartbeat the status file gives itself between events (its own timer, not a bus event). */
export function touchHeartbeat(status: StatusFile, at: string): StatusFile {
  if (isTerminal(status)) return status;
  return { ...stamp(status, at), lastHeartbeat: at };
}
