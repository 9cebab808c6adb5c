/**
 * The coordinator a worker test lands results with: the project's own
 * isolation (integration worktree, merge queue, gate), PRD store and git, put
 * together as `nax run` does in app.ts, plus a story context like a lane's.
 */
import { readFile } from "node:fs/promises";
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
import type { TestProject } from "./project";

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
    state: { rectifyAttempts: 0, autofixAttempts: 0, costUsd: 0 },
  });
  return {
    deps,
    ctx,
    finish: () => isolation.finish(),
    storyStatus: (storyId: string) => store.story(storyId).status,
  };
}
