/**
 * What `nax status` shows: the project's live (or last) run with its state
 * computed, not copied (a `running` file with a dead pid is a crash), the
 * lock, and every feature's progress from its prd.json and its latest run.
 * `-f` adds that feature's stories. The zod schema is the `--json` shape.
 */
import { z } from "zod";
import { loadConfig } from "../config/load";
import type { NaxConfig } from "../config/schema";
import { errorMessage, isNaxError } from "../errors";
import { loadPrd } from "../prd/load";
import { countShownStories, readinessOf } from "../prd/readiness";
import type { UserStory } from "../prd/schema";
import { givenDecision } from "../routing/router";
import { inspectLock } from "../state/lock-file";
import { featurePaths, globalPaths, projectPaths } from "../state/paths";
import type { StatusFile } from "../state/status-file";
import { ProgressSchema, WaitingQuestionSchema } from "../state/status-file";
import type { Sys } from "../system/sys";
import { latestFeatureRun, listFeatures, pickFeature, readLiveStatus } from "./features";
import { OutcomeStatusSchema } from "./registry";
import { type RunOutcome, readRunOutcome } from "./run-outcome";

/** Story counts: the same shape the status file records. */
export const CountsSchema = ProgressSchema;

export const RunSummarySchema = z.object({
  runId: z.string(),
  status: OutcomeStatusSchema,
  passed: z.number().int(),
  total: z.number().int(),
  costUsd: z.number(),
  durationMs: z.number(),
  startedAt: z.string().nullable(),
  exitReason: z.string().optional(),
  currentStoryId: z.string().optional(),
  /** The signal that interrupted the run (status "crashed" in the files, but the user's own stop). */
  signal: z.string().optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

const LaneViewSchema = z.object({
  storyId: z.string(),
  title: z.string(),
  phase: z.string(),
  tier: z.string(),
  agent: z.string().optional(),
  model: z.string().optional(),
  attempt: z.number(),
  lane: z.number().optional(),
  /** The question the story waits on (phase `paused`). */
  questionId: z.string().optional(),
});

export const LiveRunSchema = RunSummarySchema.extend({
  feature: z.string(),
  pid: z.number().int(),
  hostname: z.string(),
  /** null when the run is on another host, where its pid cannot be checked. */
  pidAlive: z.boolean().nullable(),
  current: LaneViewSchema.nullable(),
  /** Every story at work now, one per lane, in lane order (a sequential run has one). */
  lanes: z.array(LaneViewSchema),
  costLimit: z.number(),
  /** The part of the cost that routing calls spent, and where the figure comes from. */
  routingCost: z.object({ usd: z.number(), source: z.string() }).nullable(),
  /** The part of the cost estimated from tokens × a price table (agents that report no cost). */
  estimatedCost: z.number().nullable(),
  /** The run's agent switches, the latest last. */
  agentSwitches: z.array(
    z.object({ storyId: z.string(), from: z.string(), to: z.string(), reason: z.string(), at: z.string() }),
  ),
  heartbeatAgeMs: z.number().nullable(),
  rateLimit: z.object({ waitingUntil: z.string(), reason: z.string(), waitMs: z.number() }).nullable(),
  /** Questions waiting for a person (`nax answer <id> <choice>`). */
  questions: z.array(WaitingQuestionSchema),
});
export type LiveRun = z.infer<typeof LiveRunSchema>;

export const LockSummarySchema = z.object({
  state: z.enum(["absent", "live", "stale", "other-host"]),
  path: z.string(),
  pid: z.number().int().optional(),
  runId: z.string().optional(),
  feature: z.string().optional(),
  reason: z.string().optional(),
});
export type LockSummary = z.infer<typeof LockSummarySchema>;

export const FeatureRowSchema = z.object({
  feature: z.string(),
  counts: CountsSchema.nullable(),
  /** Why the prd.json could not be read. */
  error: z.string().optional(),
  lastRun: RunSummarySchema.nullable(),
});
export type FeatureRow = z.infer<typeof FeatureRowSchema>;

export const StoryRowSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** As readers show it: `blocked` for a pending story behind a dependency that cannot pass. */
  status: z.string(),
  /** The dependencies keeping a blocked story from running. */
  blockedBy: z.array(z.string()),
  /** The latest `nax story` decision, when a person set the story's state. */
  decision: z.object({ action: z.string(), by: z.string(), at: z.string(), reason: z.string().nullable() }).nullable(),
  complexity: z.string().nullable(),
  tier: z.string().nullable(),
  strategy: z.string().nullable(),
  attempts: z.number().int(),
  /** False for a story that passed without its tests being run (trap 28). */
  verified: z.boolean(),
});

export type StoryRow = z.infer<typeof StoryRowSchema>;

export const ProjectStatusSchema = z.object({
  workdir: z.string(),
  run: LiveRunSchema.nullable(),
  lock: LockSummarySchema,
  /** What to do about a crashed run or a stale lock. */
  fixes: z.array(z.string()),
  features: z.array(FeatureRowSchema),
  feature: z.object({ name: z.string(), stories: z.array(StoryRowSchema), error: z.string().optional() }).optional(),
});
export type ProjectStatus = z.infer<typeof ProjectStatusSchema>;

type ReaderSys = Pick<Sys, "fs" | "clock" | "hostname" | "isPidAlive"> & Partial<Pick<Sys, "naxHome">>;

export function toRunSummary(runId: string, o: RunOutcome): RunSummary {
  const summary: RunSummary = {
    runId,
    status: o.status,
    passed: o.passed,
    total: o.total,
    costUsd: o.costUsd,
    durationMs: o.durationMs,
    startedAt: o.startedAt ?? null,
  };
  if (o.exitReason !== undefined) summary.exitReason = o.exitReason;
  if (o.currentStoryId !== undefined) summary.currentStoryId = o.currentStoryId;
  if (o.signal !== undefined) summary.signal = o.signal;
  return summary;
}

export async function readLockSummary(sys: ReaderSys, workdir: string): Promise<LockSummary> {
  const path = projectPaths(workdir).lock;
  const lock = await inspectLock(sys, path);
  if (lock.state === "absent") return { state: "absent", path };
  if (lock.state === "stale" && lock.reason === "unparseable") return { state: "stale", path, reason: "unparseable" };
  const h = lock.holder;
  const summary: LockSummary = { state: lock.state, path, pid: h.pid, runId: h.runId, feature: h.feature };
  return lock.state === "stale" ? { ...summary, reason: "dead-pid" } : summary;
}

function laneView(c: NonNullable<StatusFile["current"]>): LiveRun["lanes"][number] {
  const view = { storyId: c.storyId, title: c.title, phase: c.phase, tier: c.tier, model: c.model, attempt: c.attempt };
  const withAgent = c.agent === undefined ? view : { ...view, agent: c.agent };
  const question = c.questionId === undefined ? {} : { questionId: c.questionId };
  return c.lane === undefined ? { ...withAgent, ...question } : { ...withAgent, lane: c.lane, ...question };
}

function toLiveRun(status: StatusFile, outcome: RunOutcome, sys: ReaderSys): LiveRun {
  const now = sys.clock.now();
  const c = status.current;
  const until = status.rateLimit ? Date.parse(status.rateLimit.waitingUntil) : Number.NaN;
  return {
    ...toRunSummary(status.run.id, outcome),
    feature: status.run.feature,
    pid: status.run.pid,
    hostname: status.run.hostname,
    pidAlive: status.run.hostname === sys.hostname ? sys.isPidAlive(status.run.pid) : null,
    current: c ? laneView(c) : null,
    lanes: outcome.status === "running" ? (status.lanes ?? []).map(laneView) : [],
    costLimit: status.cost.limit,
    routingCost: status.cost.routing ?? null,
    estimatedCost: status.cost.estimated ?? null,
    agentSwitches: status.agentSwitches ?? [],
    heartbeatAgeMs: outcome.heartbeatAgeMs ?? null,
    rateLimit:
      status.rateLimit && outcome.status === "running"
        ? { ...status.rateLimit, waitMs: Number.isFinite(until) ? Math.max(0, until - now) : 0 }
        : null,
    questions: outcome.status === "running" ? (status.questions ?? []) : [],
  };
}

/** Pure: the advice for a crashed run and for a stale lock. */
export function fixesFor(run: LiveRun | null, lock: LockSummary): string[] {
  const fixes: string[] = [];
  if (run?.status === "crashed") {
    const where = run.currentStoryId ? ` (it was working on ${run.currentStoryId})` : "";
    const what = run.signal ? `the run was ${run.exitReason ?? "interrupted"}` : "the run crashed";
    fixes.push(`${what}${where}: rerun \`nax run -f ${run.feature}\` to continue where it stopped`);
  }
  if (lock.state === "stale") {
    const holder = lock.pid === undefined ? "an unreadable lock" : `a lock left by pid ${lock.pid}, which is gone`;
    fixes.push(`${lock.path} is ${holder}: \`nax unlock\` removes it (\`nax run\` also replaces it)`);
  }
  return fixes;
}

async function readFeatureRow(sys: ReaderSys, workdir: string, feature: string): Promise<FeatureRow> {
  const row: FeatureRow = { feature, counts: null, lastRun: null };
  try {
    row.counts = countShownStories(await loadPrd(sys.fs, featurePaths(workdir, feature).prd));
  } catch (error) {
    // Converted: one bad prd.json is a row with its reason, the other features still show.
    if (!isNaxError(error)) throw error;
    row.error = errorMessage(error).split("\n")[0];
  }
  const ref = await latestFeatureRun(sys.fs, workdir, feature);
  if (ref) row.lastRun = toRunSummary(ref.runId, await readRunOutcome(sys, ref));
  return row;
}

function latestDecision(story: UserStory): StoryRow["decision"] {
  const d = story.decisions?.at(-1);
  return d ? { action: d.action, by: d.by, at: d.at, reason: d.reason ?? null } : null;
}

/** The config a run would use, to show a prd.json complexity's tier as the run derives it; undefined when it cannot load. */
async function configFor(sys: ReaderSys, workdir: string): Promise<NaxConfig | undefined> {
  if (sys.naxHome === undefined) return undefined;
  try {
    const paths = { globalConfig: globalPaths(sys.naxHome).config, projectConfig: projectPaths(workdir).config };
    return (await loadConfig(sys.fs, paths)).config;
  } catch (error) {
    // Converted: without a valid config only the routing nax persisted is shown (nax run reports the config error).
    if (!isNaxError(error)) throw error;
    return undefined;
  }
}

async function readFeatureStories(sys: ReaderSys, workdir: string, feature: string): Promise<ProjectStatus["feature"]> {
  try {
    const [prd, config] = await Promise.all([
      loadPrd(sys.fs, featurePaths(workdir, feature).prd),
      configFor(sys, workdir),
    ]);
    const readiness = readinessOf(prd);
    const stories = prd.userStories.map((s) => {
      // A complexity written in prd.json is the decision itself: show its tier as the routing step derives it.
      const given = config ? givenDecision(s, config) : undefined;
      return {
        id: s.id,
        title: s.title,
        status: readiness.shownStatus(s),
        blockedBy: readiness.shownStatus(s) === "blocked" ? readiness.blockedBy(s) : [],
        decision: latestDecision(s),
        complexity: s.routing?.complexity ?? given?.complexity ?? null,
        tier: s.routing?.modelTier ?? given?.tier ?? null,
        strategy: s.routing?.testStrategy ?? given?.testStrategy ?? null,
        attempts: s.attempts,
        verified: s.verified !== false,
      };
    });
    return { name: feature, stories };
  } catch (error) {
    // Converted: the report still shows the feature's last run.
    if (!isNaxError(error)) throw error;
    return { name: feature, stories: [], error: errorMessage(error) };
  }
}

export async function readProjectStatus(
  sys: ReaderSys,
  workdir: string,
  options: { feature?: string } = {},
): Promise<ProjectStatus> {
  const feature = options.feature === undefined ? undefined : await pickFeature(sys.fs, workdir, options.feature);
  const [status, lock, names] = await Promise.all([
    readLiveStatus(sys.fs, workdir),
    readLockSummary(sys, workdir),
    listFeatures(sys.fs, workdir),
  ]);
  let run: LiveRun | null = null;
  if (status) {
    const paths = featurePaths(workdir, status.run.feature);
    const ref = { runId: status.run.id, workdir, statusPath: paths.status, eventsDir: paths.runsDir };
    run = toLiveRun(status, await readRunOutcome(sys, ref), sys);
  }
  const shown = feature === undefined ? names : [feature];
  const features = await Promise.all(shown.map((f) => readFeatureRow(sys, workdir, f)));
  const report: ProjectStatus = { workdir, run, lock, fixes: fixesFor(run, lock), features };
  if (feature !== undefined) report.feature = await readFeatureStories(sys, workdir, feature);
  return report;
}
