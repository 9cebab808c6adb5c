/**
 * `nax clean [-f feature] [--force] [--dry-run]`: lists what nax left for
 * this project (worktrees, `nax/<feature>/*` branches, attempt refs) and
 * removes what holds nothing unmerged (src/isolation/clean.ts decides).
 * Refused, exit 3, while a live run (or one on another host) holds the lock:
 * its worktrees are in use. Nothing is signalled; `git clean` never runs.
 */
import { resolve } from "node:path";
import { describeHolder, inspectLock } from "../../execution/lock";
import { createGitRunner } from "../../git/run-git";
import { describeAction, executeClean, gatherCleanFacts, planClean } from "../../isolation/clean";
import { createWorktreeGit } from "../../isolation/worktree-git";
import { projectPaths } from "../../state/paths";
import { requireWorkdir } from "../../state/workdir";
import type { CliIo } from "../io";
import type { RegisterCommand } from "../program";

export interface CleanOptions {
  dir?: string;
  feature?: string;
  force?: boolean;
  dryRun?: boolean;
}

export async function cleanCommand(io: CliIo, options: CleanOptions): Promise<number> {
  const workdir = await requireWorkdir(io.sys.fs, resolve(io.cwd, options.dir ?? "."));
  const lock = await inspectLock(io.sys, projectPaths(workdir).lock);
  if (lock.state === "live" || lock.state === "other-host") {
    io.err(
      `nax: refusing to clean while a run holds the lock (${describeHolder(lock.holder)}); its worktrees are in use`,
    );
    return 3;
  }
  const git = createGitRunner({ spawn: io.sys.spawn, env: io.sys.env });
  const wt = createWorktreeGit(git);
  const facts = await gatherCleanFacts(
    { wt, fs: io.sys.fs },
    { workdir, naxHome: io.sys.naxHome, ...(options.feature === undefined ? {} : { feature: options.feature }) },
  );
  const plan = planClean(facts, { force: options.force ?? false });
  for (const kept of plan.kept) io.out(`kept: ${kept.what}: ${kept.why}`);
  if (plan.actions.length === 0) {
    io.out(plan.kept.length === 0 ? "nothing of nax's to clean" : "nothing to remove");
    return 0;
  }
  if (options.dryRun) {
    for (const action of plan.actions) io.out(`would ${describeAction(action)}`);
    return 0;
  }
  const { done, failed } = await executeClean({ wt, git }, workdir, plan);
  for (const text of done) io.out(`did: ${text}`);
  for (const text of failed) io.err(`nax: git refused to ${text}; left in place`);
  return failed.length > 0 ? 1 : 0;
}

export const registerClean: RegisterCommand = (program, ctx) => {
  program
    .command("clean")
    .description("remove nax's leftover worktrees and merged nax branches (unmerged work only with --force)")
    .option("-d, --dir <path>", "project folder (default: found from the current folder)")
    .option("-f, --feature <name>", "only this feature's worktrees, branches and attempt refs")
    .option("--force", "also remove dirty worktrees, unmerged nax branches and kept attempt refs (each named)")
    .option("--dry-run", "say what would be removed and change nothing")
    .action(async (options: CleanOptions) => {
      ctx.setExit(await cleanCommand(ctx.io, options));
    });
};
