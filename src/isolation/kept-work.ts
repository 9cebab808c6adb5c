/**
 * What isolation kept for a feature, as `nax status -f` and `nax diagnose`
 * show it: each failed or interrupted attempt's ref with the command that
 * shows it, story branches kept after a merge conflict, and an integration
 * branch holding stories the user's branch has not taken (with the command
 * that takes them). Read-only: asks git, writes nothing.
 */
import type { GitRunner } from "../git/run-git";
import { attemptRefPrefix, inspectCommand, integrationBranch } from "./names";
import { createWorktreeGit } from "./worktree-git";

export interface KeptAttempt {
  storyId: string;
  ref: string;
  command: string;
}

export interface KeptWork {
  attempts: KeptAttempt[];
  /** Story branches (`nax/<feature>/<story>`) that still exist: kept after a conflict, or of a run in progress. */
  branches: string[];
  /** Set when the integration branch holds commits the checkout's HEAD does not. */
  untaken?: { branch: string; command: string };
}

export async function readKeptWork(git: GitRunner, workdir: string, feature: string): Promise<KeptWork> {
  const empty: KeptWork = { attempts: [], branches: [] };
  const inside = await git(workdir, ["rev-parse", "--is-inside-work-tree"], { okExitCodes: [128] });
  if (inside.exitCode !== 0) return empty;
  const wt = createWorktreeGit(git);
  const prefix = attemptRefPrefix(feature);
  const attempts = (await wt.refsUnder(workdir, prefix)).map(({ ref }) => ({
    storyId: ref.slice(prefix.length).split("/")[0] ?? "",
    ref,
    command: inspectCommand(ref),
  }));
  const integration = integrationBranch(feature);
  const branches = (await wt.refsUnder(workdir, `refs/heads/nax/${feature}/`))
    .map(({ ref }) => ref.slice("refs/heads/".length))
    .filter((branch) => branch !== integration);
  const tip = await wt.revParse(workdir, `refs/heads/${integration}`);
  const head = await wt.revParse(workdir, "HEAD");
  const untaken =
    tip !== undefined && head !== undefined && !(await wt.isAncestor(workdir, tip, head))
      ? { branch: integration, command: `git merge --ff-only ${integration}` }
      : undefined;
  return { attempts, branches, ...(untaken ? { untaken } : {}) };
}

/** Plain lines for the human views. */
export function describeKeptWork(kept: KeptWork): string[] {
  const lines: string[] = [];
  if (kept.untaken) {
    lines.push(
      `Stories passed but not on your branch yet: ${kept.untaken.branch}; take them with \`${kept.untaken.command}\``,
    );
  }
  if (kept.attempts.length > 0) {
    lines.push("Kept work of failed or interrupted attempts (never deleted by nax):");
    for (const a of kept.attempts) lines.push(`  ${a.storyId}  ${a.ref}  (\`${a.command}\`)`);
  }
  for (const branch of kept.branches) lines.push(`Story branch kept: ${branch} (\`git log -p HEAD..${branch}\`)`);
  return lines;
}
