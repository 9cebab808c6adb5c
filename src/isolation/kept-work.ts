/**
 * What isolation kept for a feature, as `nax status -f` and `nax diagnose`
 * show it: each failed or interrupted attempt's ref with the command that
 * shows it, story branches kept after a merge conflict, and an integration
 * branch holding stories the user's branch has not taken (with the command
 * that takes them). Read-only: asks git, writes nothing.
 */
import type { GitRunner } from "../git/run-git";
import { attemptRefPrefix, inspectCommand, integrationBranch } from "./names";

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

/** Two git calls at most (status -f and diagnose run it on every call): one listing, one ancestry check. */
export async function readKeptWork(git: GitRunner, workdir: string, feature: string): Promise<KeptWork> {
  const attemptPrefix = attemptRefPrefix(feature);
  const branchPrefix = `refs/heads/nax/${feature}/`;
  const listed = await git(
    workdir,
    ["for-each-ref", "--format=%(objectname) %(refname)", attemptPrefix, branchPrefix],
    {
      okExitCodes: [128],
    },
  );
  if (listed.exitCode !== 0) return { attempts: [], branches: [] };
  const refs = listed.stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => ({ sha: line.slice(0, line.indexOf(" ")), ref: line.slice(line.indexOf(" ") + 1) }));
  const attempts = refs
    .filter(({ ref }) => ref.startsWith(attemptPrefix))
    .map(({ ref }) => ({
      storyId: ref.slice(attemptPrefix.length).split("/")[0] ?? "",
      ref,
      command: inspectCommand(ref),
    }));
  const integration = integrationBranch(feature);
  const heads = refs.filter(({ ref }) => ref.startsWith(branchPrefix)).map((r) => ({ ...r, branch: r.ref.slice(11) }));
  const branches = heads.map((h) => h.branch).filter((branch) => branch !== integration);
  const tip = heads.find((h) => h.branch === integration)?.sha;
  // Exit 1: the tip is not in HEAD's history, so the checkout has not taken those stories (128: no HEAD yet).
  const taken = tip
    ? await git(workdir, ["merge-base", "--is-ancestor", tip, "HEAD"], { okExitCodes: [1, 128] })
    : undefined;
  const untaken =
    taken !== undefined && taken.exitCode === 1
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
