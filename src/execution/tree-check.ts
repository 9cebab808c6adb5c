/**
 * Before the first story: nax commits each passing story with everything the
 * agent changed, so the project must be a git repository, and changes of the
 * user's own outside `nax/` must not be swept into a story's commit unasked.
 * Only reads git, and only outside `nax/`: the runner asks it while the agent
 * check runs (resume's PRD writes are under `nax/`), and reads its verdict
 * before `run:started`, so a refused run writes no status, log or registry entry.
 */
import { NaxError } from "../errors";
import type { Git } from "../git/git";

/** nax's own folder (config, PRDs, runtime files) may be dirty: it belongs in the story commits. */
const NAX_FOLDER = ["nax"];
const LISTED = 5;

export async function checkWorkingTree(
  git: Pick<Git, "isRepo" | "uncommitted">,
  workdir: string,
  allowDirty: boolean,
): Promise<string | undefined> {
  if (!(await git.isRepo(workdir))) {
    throw new NaxError(
      "NOT_A_REPO",
      `${workdir}: not a git repository; nax commits each passing story, so run \`git init\` and commit your project first`,
      { workdir },
    );
  }
  const dirty = await git.uncommitted(workdir, NAX_FOLDER);
  if (dirty.length === 0) return undefined;
  const shown =
    dirty.slice(0, LISTED).join(", ") + (dirty.length > LISTED ? `, and ${dirty.length - LISTED} more` : "");
  if (allowDirty) {
    return `the working tree has uncommitted changes (${shown}); with --allow-dirty they go into the first passing story's commit`;
  }
  throw new NaxError(
    "WORKTREE_DIRTY",
    `${workdir}: uncommitted changes outside nax/ (${shown}); nax commits each story's changes, so commit or stash yours first, or rerun with --allow-dirty to include them in the first story's commit`,
    { workdir, files: dirty },
  );
}
