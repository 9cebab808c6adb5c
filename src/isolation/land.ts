/**
 * Landing a passed attempt: one story at a time (the merge queue), its
 * branch is squash-merged into the integration worktree, judged by git's
 * exit status and the index's unmerged entries (trap 34). When the
 * integration branch moved since the attempt's base, or the attempt was
 * verified on another machine (a worker's branch), the gate runs on the
 * merged tree. Only then is the story marked passed and committed there as
 * one `feat(<id>)` commit with its trailers and the PRD nax keeps, so the
 * story states never travel in story branches (no bookkeeping conflicts).
 * A conflict or a red gate is an outcome, handed back as data. The queue
 * knows the integration tip (every commit there is its own), so a landing
 * costs four git processes: merge, add, commit, and the new tip.
 */
import { join } from "node:path";
import type { NaxConfig } from "../config/schema";
import type { GitRunner } from "../git/run-git";
import type { PipelineOutcome } from "../pipeline/pipeline";
import type { GitLike, TestRunnerLike } from "../pipeline/ports";
import type { StoryContext } from "../pipeline/stage";
import { type PrdBytes, prdBytesText } from "../prd/story-text-cache";
import type { Fs } from "../system/fs";
import type { TestRunResult } from "../verification/types";
import { attemptProvesTree, recordLandGate, sealMerged } from "./green-gate";
import type { WorktreeGit } from "./worktree-git";

export interface LaneWorktree {
  storyId: string;
  attempt: number;
  path: string;
  branch: string;
  /** The integration commit the attempt was cut from. */
  base: string;
  /** Verified on another machine (`nax worker`): its pass is evidence only, so the gate always runs here. */
  verifiedElsewhere?: boolean;
}

export interface LandDeps {
  git: GitRunner;
  wt: WorktreeGit;
  fs: Fs;
  tests: TestRunnerLike;
  config: NaxConfig;
  integrationDir: string;
  /** The PRD's path relative to the project, and the bytes nax last saved (the store's chunks, never re-read). */
  prdRelative: string;
  prdBytes(): PrdBytes;
  markPassed(ctx: StoryContext, outcome: PipelineOutcome): Promise<void>;
  /** The git service's story commit (trailers, author fallback, redacted message). */
  commitStory: GitLike["commitStory"];
  /** On the merged tree, before the story is marked passed: the acceptance gate (src/acceptance/gate.ts). */
  acceptanceGate?(ctx: StoryContext): Promise<{ ok: true } | { ok: false; reason: string }>;
}

/** A story that already lost one merge to a conflict fails with `merge-conflict` on the second. */
function conflictOutcome(ctx: StoryContext, outcome: PipelineOutcome, files: string[]): PipelineOutcome {
  const shown = files.slice(0, 10).join(", ") || "(git reported no file)";
  const again = ctx.priorFailures.some((f) => (f.reason ?? "").startsWith("merge-conflict"));
  const reason = `merge-conflict: the story's changes conflict with the integration branch in ${shown}`;
  // Unresolved: the category is the hook point a merge-conflict question (interaction/) looks for.
  const state = { ...outcome.state, failureCategory: "merge-conflict" as const };
  if (again) return { ...outcome, kind: "fail", reason: `${reason}; its branch ${ctx.story.id} is kept`, state };
  return { ...outcome, kind: "escalate", reason: `${reason}; re-run on the new base` };
}

async function gate(
  deps: LandDeps,
  ctx: StoryContext,
  unproven: boolean,
): Promise<PipelineOutcome["state"]["verify"] | undefined> {
  const { quality, execution } = deps.config;
  const command = quality.commands.test;
  // A tree with no green gate of its own is checked even when the regression gate is off (green-gate.ts).
  if (!quality.requireTests || !command || (execution.regressionGate.mode === "disabled" && !unproven)) {
    return undefined;
  }
  return deps.tests.run({
    cwd: deps.integrationDir,
    command,
    scope: "full",
    timeoutMs: execution.regressionGate.timeoutSeconds * 1000,
    signal: ctx.signal,
  });
}

/** Whether any component of `path` under `root` is a symbolic link: a write there could land outside the worktree. */
async function throughLink(fs: Fs, root: string, path: string): Promise<boolean> {
  const parts = path.split(/[\\/]/);
  for (let n = 1; n <= parts.length; n++) if (await fs.isSymlink(join(root, ...parts.slice(0, n)))) return true;
  return false;
}

/** The PRD's bytes into the integration worktree through git itself, which never writes beyond a link. */
async function stagePrdWithGit(git: GitRunner, cwd: string, path: string, text: string): Promise<void> {
  const blob = await git(cwd, ["hash-object", "-w", "--stdin"], { stdin: text });
  await git(cwd, ["update-index", "--add", "--cacheinfo", `100644,${blob.stdout.trim()},${path}`]);
  await git(cwd, ["--literal-pathspecs", "checkout-index", "-f", "--", path]);
}

/**
 * `tip`: the integration commit before this merge. The outcome's `commit` is the new tip when the
 * story passed (its integration commit).
 */
export async function landStory(
  deps: LandDeps,
  lane: LaneWorktree,
  ctx: StoryContext,
  outcome: PipelineOutcome,
  tip: string,
): Promise<PipelineOutcome> {
  const { git, wt, integrationDir } = deps;
  const merge = await git(integrationDir, ["merge", "--squash", "--no-commit", lane.branch], { okExitCodes: [1, 128] });
  // Exit 0 is a merged index (git never leaves unmerged entries then); otherwise the index names the files.
  if (merge.exitCode !== 0) {
    const unmerged = await wt.unmergedPaths(integrationDir);
    // nax's own worktree; the story's work is still on its branch.
    await git(integrationDir, ["reset", "-q", "--hard", "HEAD"]);
    return conflictOutcome(ctx, outcome, unmerged);
  }
  // A moved base (or tests run elsewhere): the merged tree was never verified here. An unproven tree: no green gate ran on it.
  const unproven = !attemptProvesTree(outcome);
  let landGate: TestRunResult | undefined;
  if (tip !== lane.base || lane.verifiedElsewhere || unproven) {
    const verify = await gate(deps, ctx, unproven);
    landGate = verify;
    if (verify && !verify.passed) {
      await git(integrationDir, ["reset", "-q", "--hard", "HEAD"]);
      const reason = `the tests fail on the integration branch with ${ctx.story.id} merged (\`${verify.command}\`); re-run on the new base`;
      // The next prompt shows the summary: it says the failure is the merged tree's, not the story's alone.
      const merged = { ...verify, summary: `${reason}\n${verify.summary}` };
      return {
        ...outcome,
        kind: "escalate",
        reason,
        state: { ...recordLandGate(ctx, outcome.state, verify), verify: merged },
      };
    }
  }
  const accepted = await deps.acceptanceGate?.(ctx);
  if (accepted && !accepted.ok) {
    await git(integrationDir, ["reset", "-q", "--hard", "HEAD"]);
    return { ...outcome, kind: "escalate", reason: accepted.reason };
  }
  await deps.markPassed(ctx, outcome);
  // The story's commit stages it with everything else (`git add -A`): a PRD the project ignores stays
  // out of its history, as it would in the checkout. Written through the run's fs, so the bytes are
  // the ones the checkout holds.
  // A story that committed a link on the way is left to git, which refuses to write through it.
  if (await throughLink(deps.fs, integrationDir, deps.prdRelative))
    await stagePrdWithGit(git, integrationDir, deps.prdRelative, prdBytesText(deps.prdBytes()));
  else await deps.fs.writeAtomic(join(integrationDir, deps.prdRelative), deps.prdBytes());
  const commit = await deps.commitStory({
    cwd: integrationDir,
    storyId: ctx.story.id,
    title: ctx.story.title,
    runId: ctx.runId,
    // Tests that were never run stay visible in the history (`Nax-Verified: no`), as in the story's own commit.
    ...(outcome.state.unverified === undefined ? {} : { verified: false }),
  });
  const sealed = sealMerged(ctx, outcome, landGate, commit.sha);
  return { ...outcome, state: { ...sealed, ...(commit.sha === undefined ? {} : { commit: commit.sha }) } };
}
