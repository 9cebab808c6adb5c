/**
 * Story isolation for one run (ADR 004): every attempt gets its own locked
 * worktree on `nax/<feature>/<story>`, cut from the integration branch; a
 * passed attempt lands through the merge queue; a failed or interrupted one
 * has its work committed to `refs/nax/attempts/<feature>/<story>/<n>` before
 * its worktree is removed; the user's checkout is fast-forwarded to the
 * integration branch whenever that cannot overwrite anything of theirs.
 * The story loop sees four calls: open, land, close, finish.
 */
import { join, relative } from "node:path";
import type { NaxConfig } from "../config/schema";
import type { GitRunner } from "../git/run-git";
import type { Logger } from "../logger/logger";
import type { PipelineOutcome } from "../pipeline/pipeline";
import type { GitLike, TestRunnerLike } from "../pipeline/ports";
import type { StoryContext } from "../pipeline/stage";
import type { Fs } from "../system/fs";
import type { Spawner } from "../system/spawn";
import { excludeLinks, linkableFolders, prepareDependencies } from "./dependency-links";
import { fastForwardCheckout, type SyncResult } from "./fast-forward";
import { type LaneWorktree, landStory } from "./land";
import { inspectCommand, integrationBranch, integrationWorktreePath, storyBranch, storyWorktreePath } from "./names";
import { createSerial } from "./serial";
import { keepCommit, keepWorktreeWork, type RunStart, startIsolatedRun } from "./setup-run";
import { createWorktreeGit } from "./worktree-git";

export type { LaneWorktree };

export interface IsolationDeps {
  git: GitRunner;
  fs: Fs;
  spawn: Spawner;
  env: Record<string, string | undefined>;
  tests: TestRunnerLike;
  config: NaxConfig;
  logger: Logger;
  workdir: string;
  feature: string;
  runId: string;
  /** `<NAX_HOME>/worktrees/<project>`. */
  root: string;
  prdPath: string;
  /** `--allow-dirty`: the user's uncommitted files go into the first story (as they did in the checkout). */
  allowDirty: boolean;
  markPassed(ctx: StoryContext, outcome: PipelineOutcome): Promise<void>;
  commitStory: GitLike["commitStory"];
  /** Questions around the merge queue (interaction/landing.ts): asked outside it, so no other lane waits to land. */
  landing?: LandingQuestions;
}

export interface LandingQuestions {
  /** Before a passed story enters the queue: the outcome that replaces it when a person rejects it. */
  beforeMerge(ctx: StoryContext, outcome: PipelineOutcome): Promise<PipelineOutcome | undefined>;
  /** After the queue gave up on a conflict (`failureCategory: merge-conflict`): retry, skip or fail. */
  afterConflict(ctx: StoryContext, outcome: PipelineOutcome): Promise<PipelineOutcome>;
}

export interface Isolation {
  readonly integrationDir: string;
  /** Messages for the run's log (leftover worktrees adopted, an integration branch continued). */
  prepare(): Promise<string[]>;
  open(storyId: string, attempt: number): Promise<LaneWorktree>;
  /** Through the merge queue: the outcome after merging and gating (a pass may become a retry or a failure). */
  land(lane: LaneWorktree, ctx: StoryContext, outcome: PipelineOutcome): Promise<PipelineOutcome>;
  /** Keeps whatever the attempt left (an attempt ref), removes its worktree; the ref, when one was made. */
  close(lane: LaneWorktree, outcome: PipelineOutcome): Promise<string | undefined>;
  /** Brings the user's checkout up to the integration branch (or says how) and removes the integration worktree. */
  finish(): Promise<SyncResult>;
}

export function createIsolation(deps: IsolationDeps): Isolation {
  const wt = createWorktreeGit(deps.git);
  const { workdir, feature, logger } = deps;
  const featureRoot = join(deps.root, feature);
  const integrationDir = integrationWorktreePath(deps.root, feature);
  const integration = integrationBranch(feature);
  const prdRelative = relative(workdir, deps.prdPath);
  const serial = createSerial();
  const linkDeps = { fs: deps.fs, wt, spawn: deps.spawn, env: deps.env };
  const { isolation } = deps.config.execution;
  let start: RunStart | undefined;
  let folders: string[] = [];
  const reason = `nax run ${deps.runId}`;

  const sync = async (): Promise<SyncResult> => {
    const target = await wt.revParse(integrationDir, "HEAD");
    if (!start?.startBranch) {
      return {
        kind: "blocked",
        reason: "the run started on a detached HEAD",
        command: `git merge --ff-only ${integration}`,
      };
    }
    if (target === undefined) return { kind: "up-to-date" };
    return fastForwardCheckout(
      { git: deps.git, wt, fs: deps.fs },
      { workdir, branch: start.startBranch, target, targetRef: integration, owned: [prdRelative] },
    );
  };

  let carried: string[] = [];
  const carryUncommitted = async (worktree: string) => {
    for (const file of carried) {
      const from = join(workdir, file);
      if (await deps.fs.exists(from)) await deps.fs.copyFile(from, join(worktree, file));
      else await deps.fs.remove(join(worktree, file));
    }
  };

  const freePath = async (storyId: string, attempt: number): Promise<string> => {
    const path = storyWorktreePath(deps.root, feature, storyId, attempt);
    if (!(await deps.fs.exists(path))) return path;
    for (let n = 2; ; n++) if (!(await deps.fs.exists(`${path}-${n}`))) return `${path}-${n}`;
  };

  return {
    integrationDir,
    async prepare() {
      start = await startIsolatedRun({
        git: deps.git,
        wt,
        fs: deps.fs,
        workdir,
        feature,
        runId: deps.runId,
        featureRoot,
        integrationDir,
      });
      const dirty = await wt.uncommittedPaths(workdir);
      carried = dirty.filter((file) => file !== prdRelative && (deps.allowDirty || file.startsWith("nax/")));
      folders = await linkableFolders(linkDeps, workdir, isolation.linkDependencies);
      await excludeLinks(linkDeps, workdir, folders);
      await prepareDependencies(linkDeps, { workdir, worktree: integrationDir, folders, timeoutMs: 600_000 });
      return start.messages;
    },
    async open(storyId, attempt) {
      const branch = storyBranch(feature, storyId);
      const base = (await wt.revParse(integrationDir, "HEAD")) as string;
      const held = await wt.revParse(workdir, `refs/heads/${branch}`);
      if (held !== undefined && !(await wt.isAncestor(workdir, held, base))) {
        // The branch is about to be reset to the base: keep what it holds first (a kept merge-conflict branch).
        await keepCommit({ wt, workdir, feature }, { storyId, attempt, sha: held });
      }
      const path = await freePath(storyId, attempt);
      // git creates the folders itself.
      await wt.addWorktree(workdir, path, branch, base, reason);
      await prepareDependencies(linkDeps, {
        workdir,
        worktree: path,
        folders,
        ...(isolation.setupCommand === undefined ? {} : { setupCommand: isolation.setupCommand }),
        timeoutMs: deps.config.execution.verificationTimeoutSeconds * 1000,
      });
      // Until a story lands, the base is the user's HEAD: their uncommitted files (nax/ edits, or all with
      // --allow-dirty) go along, so the first story's commit carries them as it did in the checkout.
      if (base === start?.startHead) await carryUncommitted(path);
      return { storyId, attempt, path, branch, base };
    },
    async land(lane, ctx, outcome) {
      if (outcome.kind !== "passed") return outcome;
      const refused = await deps.landing?.beforeMerge(ctx, outcome);
      if (refused) return refused;
      const landed = await serial(async () => {
        const landed = await landStory(
          {
            git: deps.git,
            wt,
            fs: deps.fs,
            tests: deps.tests,
            config: deps.config,
            integrationDir,
            prdPath: deps.prdPath,
            prdRelative,
            markPassed: deps.markPassed,
            commitStory: deps.commitStory,
          },
          lane,
          ctx,
          outcome,
        );
        // After each merge, when safe; a refusal is only told at the end of the run.
        if (landed.kind === "passed") await sync();
        return landed;
      });
      const unresolved = landed.state.failureCategory === "merge-conflict" && landed.kind === "fail";
      return unresolved && deps.landing ? deps.landing.afterConflict(ctx, landed) : landed;
    },
    async close(lane, outcome) {
      const passed = outcome.kind === "passed";
      const label = passed ? "passed" : outcome.kind === "stop" ? "interrupted" : "failed";
      const ref = await keepWorktreeWork(
        { wt, workdir, feature },
        {
          path: lane.path,
          storyId: lane.storyId,
          attempt: lane.attempt,
          base: passed ? await wt.revParse(lane.path, "HEAD") : lane.base,
          message: `nax: ${lane.storyId} attempt ${lane.attempt}, ${label} (run ${deps.runId})\n`,
        },
      );
      await wt.unlock(workdir, lane.path);
      if (!(await wt.removeWorktree(workdir, lane.path))) {
        logger.warn(`${lane.storyId}: the worktree ${lane.path} still holds changes and was left in place`, {
          storyId: lane.storyId,
        });
        return ref;
      }
      if (passed) {
        // Its change is on the integration branch now (squashed there): the branch has nothing left of its own.
        const tip = await wt.revParse(workdir, `refs/heads/${lane.branch}`);
        if (tip !== undefined) await wt.deleteRef(workdir, `refs/heads/${lane.branch}`, tip);
      }
      if (ref)
        logger.info(
          `${lane.storyId}: attempt ${lane.attempt}'s work is kept at ${ref}; see it with \`${inspectCommand(ref)}\``,
          { storyId: lane.storyId },
        );
      return ref;
    },
    async finish() {
      const result = await sync();
      await wt.unlock(workdir, integrationDir);
      if (!(await wt.removeWorktree(workdir, integrationDir))) {
        logger.warn(`the integration worktree ${integrationDir} holds uncommitted changes and was left in place`);
      }
      if (result.kind === "blocked") {
        logger.warn(
          `the stories that passed are on ${integration}, not on your checkout: ${result.reason}; take them with \`${result.command}\``,
        );
        return result;
      }
      const tip = await wt.revParse(workdir, `refs/heads/${integration}`);
      // Merged into the user's branch (git's own ancestry says so): the integration branch holds nothing else.
      if (tip !== undefined && (await wt.isAncestor(workdir, tip, "HEAD")))
        await wt.deleteRef(workdir, `refs/heads/${integration}`, tip);
      return result;
    },
  };
}
