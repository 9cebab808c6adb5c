/**
 * Story isolation for one run (ADR 004): every attempt gets its own locked
 * worktree on `nax/<feature>/<story>`, cut from the integration branch; a
 * passed attempt lands through the merge queue; a failed or interrupted one
 * has its work committed to `refs/nax/attempts/<feature>/<story>/<n>` before
 * its worktree is removed; the user's checkout is fast-forwarded to the
 * integration branch whenever that cannot overwrite anything of theirs.
 * The story loop sees open, land, close, idle and finish. Every commit on
 * the integration branch is made here, one at a time, so its tip is known
 * without asking git; that, `-b` before `-B`, and a passed attempt's worktree
 * removed without a keep-commit first (git refuses a dirty one, and only then
 * is its work kept) make a story's isolation cost about a dozen git processes.
 * The checkout's fast-forward and a landed attempt's worktree removal run off
 * the lane's path (housekeeping.ts; the next story starts meanwhile); the
 * merge and its commit stay on it, so the next attempt is cut from a tip that
 * holds the last one. The integration worktree is checked out beside the
 * run's first worktrees and awaited where it is used (`integrationReady`).
 */
import { join, relative } from "node:path";
import type { NaxConfig } from "../config/schema";
import { headFromFiles } from "../git/ref-files";
import type { GitRunner } from "../git/run-git";
import type { Logger } from "../logger/logger";
import type { PipelineOutcome } from "../pipeline/pipeline";
import type { GitLike, TestRunnerLike } from "../pipeline/ports";
import type { StoryContext } from "../pipeline/stage";
import type { PrdBytes } from "../prd/story-text-cache";
import type { Fs } from "../system/fs";
import type { Spawner } from "../system/spawn";
import { closeAttempt } from "./close-attempt";
import { excludeLinks, linkableFolders, prepareDependencies } from "./dependency-links";
import { fastForwardCheckout, type SyncResult } from "./fast-forward";
import { createHousekeeping } from "./housekeeping";
import { type LandDeps, type LaneWorktree, landStory } from "./land";
import { integrationBranch, integrationWorktreePath, storyBranch, storyWorktreePath } from "./names";
import { createSerial } from "./serial";
import { keepCommit, openIntegrationWorktree, type RunStart, startIsolatedRun } from "./setup-run";
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
  /** The PRD's bytes as nax last saved them (the store's chunks; committed with each landed story). */
  prdBytes(): PrdBytes;
  /** Runs a task while no PRD save can start (the store's queue): the fast-forward touches the PRD's file. */
  prdExclusive<T>(task: () => Promise<T>): Promise<T>;
  /** The PRD's `branchName`: the branch the run works on, instead of the checkout's. */
  branchName?: string;
  /** `--allow-dirty`: the user's uncommitted files go into the first story (as they did in the checkout). */
  allowDirty: boolean;
  markPassed(ctx: StoryContext, outcome: PipelineOutcome): Promise<void>;
  commitStory: GitLike["commitStory"];
  acceptanceGate?: LandDeps["acceptanceGate"];
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
  /** The integration worktree's path once it is checked out (after `prepare`): await it before running there. */
  integrationReady(): Promise<string>;
  /** Messages for the run's log (leftover worktrees adopted, an integration branch continued). */
  prepare(): Promise<string[]>;
  open(storyId: string, attempt: number): Promise<LaneWorktree>;
  /** Through the merge queue: the outcome after merging and gating (a pass may become a retry or a failure). */
  land(lane: LaneWorktree, ctx: StoryContext, outcome: PipelineOutcome): Promise<PipelineOutcome>;
  /** Keeps whatever the attempt left (an attempt ref), removes its worktree; the ref, when one was made. */
  close(lane: LaneWorktree, outcome: PipelineOutcome): Promise<string | undefined>;
  /** A lane has nothing to start: landed worktrees waiting to be removed are removed now (housekeeping.ts). */
  idle(): void;
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
  /** The integration branch's tip: read once at the start, then the queue's own commits. */
  let tip = "";
  /** The last commit the user's branch was brought to (or started at): an ancestor of every later tip. */
  let synced: string | undefined;
  /** A passed attempt's own commit (its branch's tip), from its pipeline outcome, until it is closed. */
  const attemptTips = new Map<LaneWorktree, string>();
  /** The PRD bytes the last landing committed: while the store has saved nothing newer, the checkout's file is them. */
  let committedPrd: PrdBytes | undefined;
  const prdBytes = () => {
    committedPrd = deps.prdBytes();
    return committedPrd;
  };
  let folders: string[] = [];
  const reason = `nax run ${deps.runId}`;
  /** The integration worktree, checked out and linked (`prepare` starts it; nothing runs there before). */
  let integrationWorktree: Promise<string> | undefined;
  let integrationOpen = false;
  const integrationReady = (): Promise<string> =>
    integrationWorktree ?? Promise.reject(new Error("isolation: the integration worktree is used before prepare()"));

  const sync = async (): Promise<SyncResult> => {
    if (!start?.startBranch) {
      return {
        kind: "blocked",
        reason: "the run started on a detached HEAD",
        command: `git merge --ff-only ${integration}`,
      };
    }
    const branch = start.startBranch;
    const named = start.named;
    const target = tip;
    // No PRD save may land while the checkout's PRD is compared and written.
    const result = await deps.prdExclusive(() =>
      fastForwardCheckout(
        { git: deps.git, wt, fs: deps.fs },
        {
          workdir,
          branch,
          target,
          targetRef: integration,
          owned: [prdRelative],
          current: deps.prdBytes() === committedPrd ? [prdRelative] : [],
          named,
          ...(synced === undefined ? {} : { knownAncestor: synced }),
        },
      ),
    );
    if (result.kind !== "blocked") synced = target;
    return result;
  };

  // Removals of landed worktrees and the checkout's fast-forward, off the lanes' path.
  const housekeeping = createHousekeeping({ logger, integration, sync: () => serial(sync) });

  /**
   * What an attempt's checkout leaves out: the PRD. Its story states are the run's bookkeeping, kept on
   * the integration branch (SPEC: not in story branches), and no stage reads it there; a routed 2,000-story
   * PRD is about 1 MB that every git command in the worktree would stat and, in the second it was written,
   * hash again (issue 9). Kept when the repository is a sparse checkout of its own: its patterns are the user's.
   */
  let leftOut: Promise<string[]> | undefined;
  const attemptLeavesOut = () => {
    leftOut ??= wt.sparseCheckoutOn(workdir).then((sparse) => (sparse ? [] : [prdRelative]));
    return leftOut;
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

  /** After the last fast-forward: a refusal is told; a merged integration branch is deleted (it holds nothing else). */
  const dropIntegrationBranch = async (result: SyncResult): Promise<SyncResult> => {
    if (result.kind === "blocked") {
      logger.warn(
        `the stories that passed are on ${integration}, not on your checkout: ${result.reason}; take them with \`${result.command}\``,
      );
      return result;
    }
    const held = await wt.revParse(workdir, `refs/heads/${integration}`);
    const into = start?.startBranch === undefined ? "HEAD" : `refs/heads/${start.startBranch}`;
    // Merged into the run's branch (git's own ancestry says so): the integration branch holds nothing else.
    if (held !== undefined && (await wt.isAncestor(workdir, held, into)))
      await wt.deleteRef(workdir, `refs/heads/${integration}`, held);
    return result;
  };

  return {
    integrationDir,
    async prepare() {
      const startDeps = {
        git: deps.git,
        wt,
        fs: deps.fs,
        workdir,
        feature,
        runId: deps.runId,
        featureRoot,
        integrationDir,
        ...(deps.branchName === undefined ? {} : { branchName: deps.branchName }),
      };
      start = await startIsolatedRun(startDeps);
      tip = start.integrationTip;
      // Placed at the run's branch: it descends from there. Continued from an earlier run: nothing is known.
      if (tip === start.startHead) synced = tip;
      // Checked out beside the rest of the start and the first lanes' worktrees; its dependency links
      // wait for the folders to be known.
      const checkedOut = openIntegrationWorktree(startDeps);
      const linked = (async () => {
        const dirty = await wt.uncommittedPaths(workdir);
        carried = dirty.filter((file) => file !== prdRelative && (deps.allowDirty || file.startsWith("nax/")));
        folders = await linkableFolders(linkDeps, workdir, isolation.linkDependencies);
        await excludeLinks(linkDeps, workdir, folders);
      })();
      integrationWorktree = Promise.all([checkedOut, linked]).then(async () => {
        await prepareDependencies(linkDeps, { workdir, worktree: integrationDir, folders, timeoutMs: 600_000 });
        integrationOpen = true;
        return integrationDir;
      });
      // Told by whoever awaits it (the first lane's open, the first landing, the run's end), never unhandled.
      integrationWorktree.catch(() => undefined);
      await linked;
      return start.messages;
    },
    integrationReady,
    async open(storyId, attempt) {
      // A retry waits for its previous worktree to be gone (it holds the story's branch).
      await housekeeping.removal(storyId);
      const branch = storyBranch(feature, storyId);
      // Read, not remembered: steps outside the queue commit there too (the frozen acceptance tests), and an
      // attempt cut from an older tip would miss them. Not checked out yet: nothing has committed there.
      if (integrationOpen)
        tip = (await headFromFiles(integrationDir)) ?? (await wt.revParse(integrationDir, "HEAD")) ?? tip;
      const base = tip;
      const path = await freePath(storyId, attempt);
      // git creates the folders itself. `-b` refuses an existing branch (a kept merge-conflict branch, an
      // earlier attempt's): only then is it looked at, and what it holds kept before `-B` resets it.
      const checkout = { path, branch, base, reason };
      const leaveOut = await attemptLeavesOut();
      if (!(await wt.addWorktreeNewBranch(workdir, checkout, leaveOut))) {
        const held = await wt.revParse(workdir, `refs/heads/${branch}`);
        if (held !== undefined && !(await wt.isAncestor(workdir, held, base))) {
          await keepCommit({ wt, workdir, feature }, { storyId, attempt, sha: held });
        }
        await wt.addWorktree(workdir, checkout, leaveOut);
      }
      await prepareDependencies(linkDeps, {
        workdir,
        worktree: path,
        folders,
        ...(isolation.setupCommand === undefined ? {} : { setupCommand: isolation.setupCommand }),
        timeoutMs: deps.config.execution.verificationTimeoutSeconds * 1000,
      });
      // No session starts before the run could land it: a failed checkout of the integration worktree
      // stops the run here, before any money is spent, and takes back this worktree (no agent ran in it).
      await integrationReady().catch(async (error: unknown) => {
        await wt.unlock(workdir, path);
        if (await wt.removeWorktree(workdir, path)) await wt.deleteRefIf(workdir, `refs/heads/${branch}`, base);
        throw error;
      });
      // Until a story lands, the base is the user's HEAD: their uncommitted files (nax/ edits, or all with
      // --allow-dirty) go along, so the first story's commit carries them as it did in the checkout.
      if (base === start?.checkoutHead) await carryUncommitted(path);
      return { storyId, attempt, path, branch, base };
    },
    async land(lane, ctx, outcome) {
      if (outcome.kind !== "passed") return outcome;
      const refused = await deps.landing?.beforeMerge(ctx, outcome);
      if (refused) return refused;
      if (outcome.state.commit !== undefined) attemptTips.set(lane, outcome.state.commit);
      const landed = await serial(async () => {
        await integrationReady();
        const landed = await landStory(
          {
            git: deps.git,
            wt,
            fs: deps.fs,
            tests: deps.tests,
            config: deps.config,
            integrationDir,
            prdRelative,
            prdBytes,
            markPassed: deps.markPassed,
            commitStory: deps.commitStory,
            ...(deps.acceptanceGate ? { acceptanceGate: deps.acceptanceGate } : {}),
          },
          lane,
          ctx,
          outcome,
          tip,
        );
        if (landed.kind !== "passed") return landed;
        if (landed.state.commit !== undefined) tip = landed.state.commit;
        // After each merge, when safe (a refusal is only told at the end of the run); off the lane's path.
        housekeeping.syncSoon();
        return landed;
      });
      const unresolved = landed.state.failureCategory === "merge-conflict" && landed.kind === "fail";
      return unresolved && deps.landing ? deps.landing.afterConflict(ctx, landed) : landed;
    },
    close(lane, outcome) {
      const landedTip = outcome.kind === "passed" ? attemptTips.get(lane) : undefined;
      attemptTips.delete(lane);
      const closeDeps = { wt, workdir, feature, runId: deps.runId, logger };
      if (landedTip === undefined) return closeAttempt(closeDeps, lane, outcome, undefined);
      // Landed: nothing of the story waits on its worktree's removal, so the lane moves on at once.
      housekeeping.removeSoon(lane.storyId, () => closeAttempt(closeDeps, lane, outcome, landedTip));
      return Promise.resolve(undefined);
    },
    idle: () => housekeeping.idle(),
    async finish() {
      await housekeeping.drain();
      // A run that ended before any lane opened may have its integration worktree still on the way.
      await integrationReady();
      // Again unless the last fast-forward brought the checkout to the final tip and its HEAD is still
      // there (git's files say so): a refused or failed one, a commit made outside the queue, a branch
      // the user moved meanwhile all get the fast-forward's own answer, which is the run's.
      tip = (await headFromFiles(integrationDir)) ?? tip;
      const atTip = synced === tip && (await headFromFiles(workdir)) === tip;
      const result: SyncResult = atTip ? { kind: "up-to-date" } : await serial(sync);
      await wt.unlock(workdir, integrationDir);
      if (!(await wt.removeWorktree(workdir, integrationDir))) {
        logger.warn(`the integration worktree ${integrationDir} holds uncommitted changes and was left in place`);
      }
      // The housekeeping each commit skipped (git/commit.ts), once: git decides whether there is any to do.
      const gc = deps.git(workdir, ["gc", "--auto", "--quiet"]).then(
        () => undefined,
        (error: unknown) => logger.warn(`git gc --auto failed: ${(error as Error).message}`),
      );
      const outcome = await dropIntegrationBranch(result);
      await gc;
      return outcome;
    },
  };
}
