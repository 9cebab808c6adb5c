/**
 * What a worker test needs: the coordinator's project (one story, a test
 * command), a bare remote cloned from it, a "remote machine" folder that
 * holds only the job, `nax worker` run there as a process; and the
 * coordinator a test lands results with: the project's own isolation
 * (integration worktree, merge queue, gate), PRD store and git, put together
 * as `nax run` does in app.ts, plus a story context like a lane's.
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigSchema } from "../../src/config/schema";
import { createPrdCompletion } from "../../src/execution/story-outcome";
import { createGit } from "../../src/git/git";
import { createGitRunner } from "../../src/git/run-git";
import { worktreeRoot } from "../../src/isolation/names";
import { createIsolation } from "../../src/isolation/workspace";
import { createLogger } from "../../src/logger/logger";
import type { StoryContext } from "../../src/pipeline/stage";
import { PrdSchema } from "../../src/prd/schema";
import { createPrdStore } from "../../src/prd/store";
import { createRedactor } from "../../src/system/secrets";
import { createTestRunner, tempReportFiles } from "../../src/verification/test-runner";
import type { RemoteLandingDeps } from "../../src/worker/coordinator";
import type { WorkerJob } from "../../src/worker/job";
import type { FakeClaudeScript } from "../fakes/fake-claude-script";
import { type NaxProcess, startNax } from "./nax-process";
import { createTestProject, type TestProject } from "./project";

export const WORKER_BRANCH = "nax-worker/demo/US-001";

export function git(cwd: string, env: Record<string, string>, args: string[]): string {
  const result = spawnSync("git", args, { cwd, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.trim();
}

export interface WorkerSetup {
  p: TestProject;
  bare: string;
  machine: string;
  job: WorkerJob;
  cleanup(): Promise<void>;
}

export async function workerSetup(
  script: FakeClaudeScript,
  jobOverrides: Partial<WorkerJob> = {},
): Promise<WorkerSetup> {
  const p = await createTestProject({
    stories: [{ id: "US-001", title: "adds a feature file" }],
    files: { "check.sh": 'test -f base.txt && echo "1 passed"\n', "base.txt": "base\n" },
    config: { quality: { commands: { test: "sh check.sh" } } },
    script,
  });
  const root = await mkdtemp(join(tmpdir(), "nax-worker-test-"));
  const bare = join(root, "remote.git");
  git(root, p.env, ["clone", "-q", "--bare", p.dir, bare]);
  p.git(["remote", "add", "origin", bare]);
  const machine = join(root, "machine");
  await mkdir(machine);
  const config = JSON.parse(await readFile(join(p.dir, "nax/config.json"), "utf8"));
  delete config.$schema;
  const job = {
    v: 1,
    repository: bare,
    baseCommit: p.git(["rev-parse", "HEAD"]).trim(),
    feature: "demo",
    storyId: "US-001",
    config,
    budget: { maxCostUsd: 5 },
    deadline: new Date(Date.now() + 600_000).toISOString(),
    credentials: [],
    pushTo: { remote: "origin", branch: WORKER_BRANCH },
    heartbeatSeconds: 0.05,
    ...jobOverrides,
  } as WorkerJob;
  return {
    p,
    bare,
    machine,
    job,
    cleanup: async () => {
      await p.cleanup();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** `nax worker job.json --work-dir work` in the machine folder, as a process; the job written first. */
export async function startWorkerProcess(
  p: TestProject,
  machine: string,
  job: unknown,
  env: Record<string, string> = {},
): Promise<NaxProcess> {
  await writeFile(join(machine, "job.json"), JSON.stringify(job));
  // The machine has no git identity of the project's: the worker's commits use nax's author fallback.
  return startNax(p, ["worker", "job.json", "--work-dir", "work"], env, machine);
}

export async function runWorkerProcess(
  p: TestProject,
  machine: string,
  job: unknown,
  env: Record<string, string> = {},
) {
  return (await startWorkerProcess(p, machine, job, env)).exited;
}

export async function coordinatorFor(p: TestProject) {
  const { sys } = p;
  const config = ConfigSchema.parse(JSON.parse(await readFile(join(p.dir, "nax/config.json"), "utf8")));
  const prdPath = join(p.dir, "nax/features", p.feature, "prd.json");
  const store = createPrdStore(sys.fs, prdPath, PrdSchema.parse(JSON.parse(await readFile(prdPath, "utf8"))), () =>
    sys.clock.iso(),
  );
  const env = { ...sys.env };
  const gitRunner = createGitRunner({ spawn: sys.spawn, env });
  const git = createGit({ spawn: sys.spawn, env, redactor: createRedactor(env) });
  const logger = createLogger(() => sys.clock.iso());
  const completion = createPrdCompletion(store);
  const tests = createTestRunner({
    spawn: sys.spawn,
    env,
    reports: tempReportFiles(sys.fs, p.home, sys.uuid),
    readText: (path) => sys.fs.readText(path),
  });
  const runId = "run-2026-03-07T05-30-00-000Z";
  const isolation = createIsolation({
    git: gitRunner,
    fs: sys.fs,
    spawn: sys.spawn,
    env,
    tests,
    config,
    logger,
    workdir: p.dir,
    feature: p.feature,
    runId,
    root: worktreeRoot(sys.naxHome, p.dir),
    prdPath,
    prdBytes: () => store.bytes(),
    prdExclusive: (task) => store.exclusive(task),
    allowDirty: false,
    commitStory: (input) => git.commitStory(input),
    markPassed: (ctx, outcome) =>
      completion.markPassed(ctx.story.id, { routing: outcome.state.routing, attempts: ctx.attempt, verified: true }),
  });
  await isolation.prepare();
  const deps: RemoteLandingDeps = { git: gitRunner, isolation, workdir: p.dir };
  const ctx = (storyId: string): StoryContext => ({
    runId,
    feature: p.feature,
    workdir: p.dir,
    config,
    prd: store.current(),
    story: store.story(storyId),
    attempt: 1,
    tier: "fast",
    priorFailures: [],
    signal: new AbortController().signal,
    logger,
    emit: () => undefined,
    state: { costUsd: 0 },
  });
  return {
    deps,
    ctx,
    finish: () => isolation.finish(),
    storyStatus: (storyId: string) => store.story(storyId).status,
  };
}
