/**
 * Fixtures for reader tests: writes the state files a run leaves behind
 * (prd.json, live status, feature snapshot, event log, lock, registry meta)
 * directly through their schemas, so readers are tested without the run
 * loop. Also an in-process CLI io that captures output, with a temp nax home.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIo } from "../../src/cli/io";
import { runCli } from "../../src/cli/main";
import type { NaxEventMap, NaxEventType } from "../../src/events/events";
import type { StoryCounts } from "../../src/prd/counts";
import { type Prd, PrdSchema } from "../../src/prd/schema";
import { type EventLine, EventLineSchema } from "../../src/state/event-line";
import { type LockFile, LockFileSchema } from "../../src/state/lock-file";
import { featurePaths, globalPaths, projectPaths } from "../../src/state/paths";
import { createRunId } from "../../src/state/run-id";
import { type RunMeta, RunMetaSchema } from "../../src/state/run-meta";
import { type RunStatus, type StatusFile, StatusFileSchema } from "../../src/state/status-file";
import { type Clock, cancellableSleep } from "../../src/system/clock";
import { createNodeFs } from "../../src/system/fs";
import { createSys } from "../../src/system/sys";
import { SAMPLE_PAYLOADS } from "./event-samples";

export const HOST = "test-host";
/** "Now" for tests that judge heartbeats: 2026-03-07T06:00:00Z. */
export const NOW = Date.parse("2026-03-07T06:00:00.000Z");
export const DEAD_PID = 999_999;

const fs = createNodeFs();

export async function makeTempDir(prefix: string): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `nax-${prefix}-`));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export function runIdAt(iso: string): string {
  return createRunId(Date.parse(iso));
}

export function counts(passed: number, total: number, failed = 0): StoryCounts {
  return { total, passed, failed, paused: 0, blocked: 0, skipped: 0, pending: total - passed - failed };
}

/** A clock whose `now` stays put (heartbeat ages are exact) but whose sleeps are real. */
export function fixedClock(now = NOW): Clock {
  return { now: () => now, iso: () => new Date(now).toISOString(), sleep: cancellableSleep };
}

export interface TestIo {
  io: CliIo;
  out: string[];
  err: string[];
  stdout(): string;
  stderr(): string;
  run(argv: string[]): Promise<number>;
}

export function createTestIo(options: {
  naxHome: string;
  cwd: string;
  isPidAlive?: (pid: number) => boolean;
  clock?: Clock;
  env?: Record<string, string | undefined>;
}): TestIo {
  const out: string[] = [];
  const err: string[] = [];
  const sys = createSys({
    naxHome: options.naxHome,
    hostname: HOST,
    env: { NO_COLOR: "1", ...options.env },
    clock: options.clock ?? fixedClock(),
    isPidAlive: options.isPidAlive ?? ((pid) => pid === process.pid),
  });
  const io: CliIo = { sys, cwd: options.cwd, out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false };
  return {
    io,
    out,
    err,
    stdout: () => out.join("\n"),
    stderr: () => err.join("\n"),
    run: (argv) => runCli(["bun", "nax", ...argv], io),
  };
}

export interface StoryFixture {
  id: string;
  /** Checked by the PRD schema when written. */
  status?: string;
  [key: string]: unknown;
}

export async function writeProject(
  root: string,
  name: string,
  features: Record<string, StoryFixture[]> = {},
): Promise<string> {
  const workdir = join(root, name);
  await fs.mkdirp(projectPaths(workdir).featuresDir);
  for (const [feature, stories] of Object.entries(features)) await writePrd(workdir, feature, stories);
  return workdir;
}

export async function writePrd(workdir: string, feature: string, stories: StoryFixture[]): Promise<Prd> {
  const prd = PrdSchema.parse({
    project: "p",
    feature,
    userStories: stories.map((s) => ({ title: `story ${s.id}`, ...s })),
  });
  await fs.writeAtomic(featurePaths(workdir, feature).prd, `${JSON.stringify(prd, null, 2)}\n`);
  return prd;
}

export interface StatusFixture {
  runId: string;
  feature: string;
  status: RunStatus;
  pid?: number;
  hostname?: string;
  progress?: StoryCounts;
  spent?: number;
  limit?: number;
  startedAt?: string;
  lastHeartbeat?: string;
  durationMs?: number;
  current?: StatusFile["current"];
  lanes?: StatusFile["lanes"];
  rateLimit?: StatusFile["rateLimit"];
  exitReason?: string;
}

export function statusFile(f: StatusFixture): StatusFile {
  const startedAt = f.startedAt ?? timeOfRunId(f.runId) ?? new Date(NOW - 10 * 60_000).toISOString();
  const run: StatusFile["run"] = {
    id: f.runId,
    feature: f.feature,
    startedAt,
    status: f.status,
    pid: f.pid ?? DEAD_PID,
    hostname: f.hostname ?? HOST,
    dryRun: false,
  };
  if (f.exitReason !== undefined) run.exitReason = f.exitReason;
  return StatusFileSchema.parse({
    version: 1,
    run,
    progress: f.progress ?? counts(0, 1),
    cost: { spent: f.spent ?? 0, limit: f.limit ?? 20 },
    current: f.current ?? null,
    ...(f.lanes ? { lanes: f.lanes } : {}),
    rateLimit: f.rateLimit ?? null,
    iterations: 1,
    startedAt,
    updatedAt: f.lastHeartbeat ?? new Date(NOW - 5_000).toISOString(),
    durationMs: f.durationMs ?? 60_000,
    lastHeartbeat: f.lastHeartbeat ?? new Date(NOW - 5_000).toISOString(),
  });
}

export async function writeLiveStatus(workdir: string, f: StatusFixture): Promise<void> {
  await fs.writeAtomic(projectPaths(workdir).status, `${JSON.stringify(statusFile(f), null, 2)}\n`);
}

export async function writeSnapshot(workdir: string, f: StatusFixture): Promise<void> {
  await fs.writeAtomic(featurePaths(workdir, f.feature).status, `${JSON.stringify(statusFile(f), null, 2)}\n`);
}

let seq = 0;
/** A valid event line of `type`: the given payload fields over a complete sample payload. */
export function eventLine<T extends NaxEventType>(
  runId: string,
  type: T,
  data: Partial<NaxEventMap[T]> = {},
  extra: Partial<Omit<EventLine, "type" | "data">> = {},
): EventLine {
  const payload: Record<string, unknown> = { ...SAMPLE_PAYLOADS[type], ...data };
  const storyId = typeof payload.storyId === "string" ? payload.storyId : undefined;
  const isLog = type === "log";
  return EventLineSchema.parse({
    v: 1,
    type,
    runId,
    seq: seq++,
    at: new Date(NOW - 60_000 + seq * 1000).toISOString(),
    level: isLog ? payload.level : "info",
    message: isLog ? payload.message : `${type}${storyId ? ` ${storyId}` : ""}`,
    ...(storyId ? { storyId } : {}),
    data: payload,
    ...extra,
  });
}

export function eventText(lines: EventLine[]): string {
  return lines.map((l) => `${JSON.stringify(l)}\n`).join("");
}

export async function writeEventLog(workdir: string, feature: string, runId: string, lines: EventLine[]) {
  const path = featurePaths(workdir, feature).runLog(runId);
  await fs.writeAtomic(path, eventText(lines));
  return path;
}

/** A whole run's log: started, one story each passing or failing, then the ending (if any). */
export function runEvents(
  runId: string,
  options: {
    end: "completed" | "failed" | "stalled" | "crashed" | "none";
    final: StoryCounts;
    cost?: number;
    durationMs?: number;
    storyIds?: string[];
  },
): EventLine[] {
  const lines = [
    eventLine(runId, "run:started", {
      feature: "f",
      pid: DEAD_PID,
      hostname: HOST,
      counts: counts(0, options.final.total),
    }),
  ];
  for (const storyId of options.storyIds ?? []) lines.push(eventLine(runId, "story:started", { storyId, attempt: 1 }));
  if (options.cost)
    lines.push(eventLine(runId, "agent:session-completed", { storyId: "US-001", costUsd: options.cost }));
  if (options.end === "crashed") lines.push(eventLine(runId, "run:crashed", { signal: "SIGTERM" }, { level: "error" }));
  else if (options.end !== "none") {
    lines.push(
      eventLine(runId, "run:completed", {
        status: options.end,
        counts: options.final,
        costSpent: options.cost ?? 0,
        durationMs: options.durationMs ?? 120_000,
        iterations: 1,
      }),
    );
  }
  return lines;
}

/** The ISO time a run id encodes, when it encodes one. */
export function timeOfRunId(runId: string): string | undefined {
  const m = /^run-(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z/.exec(runId);
  return m ? `${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z` : undefined;
}

export function metaFor(workdir: string, project: string, feature: string, runId: string): RunMeta {
  const paths = featurePaths(workdir, feature);
  return RunMetaSchema.parse({
    runId,
    project,
    feature,
    workdir,
    statusPath: paths.status,
    eventsDir: paths.runsDir,
    registeredAt: timeOfRunId(runId) ?? new Date(NOW).toISOString(),
  });
}

export async function registerRun(naxHome: string, meta: RunMeta): Promise<string> {
  const dir = globalPaths(naxHome).runDir(meta.project, meta.feature, meta.runId);
  await fs.writeAtomic(join(dir, "meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
  return dir;
}

export async function writeLock(workdir: string, lock: Partial<LockFile> & { pid: number }): Promise<void> {
  const record = LockFileSchema.parse({
    hostname: HOST,
    runId: "run-x",
    feature: "f",
    startedAt: "2026-03-07T05:00:00.000Z",
    ...lock,
  });
  await fs.writeAtomic(projectPaths(workdir).lock, `${JSON.stringify(record)}\n`);
}
