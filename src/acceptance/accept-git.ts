/**
 * The git steps the acceptance tests need: the files of the acceptance
 * folder (tracked and new), what changed outside it since a commit (the
 * test writer may touch nothing else), the frozen commit of the folder
 * alone, and the paths a squash-merged story staged (the frozen check).
 */
import { createAuthorFallback } from "../git/commit";
import { type GitRunner, splitNul } from "../git/run-git";
import { createSessionChanges, touchedPaths } from "../tdd/session-changes";

export interface AcceptGit {
  head(cwd: string): Promise<string>;
  listFolder(cwd: string, folder: string): Promise<string[]>;
  changedOutside(cwd: string, base: string, folder: string): Promise<string[]>;
  /** Commits the folder's state (and nothing else); HEAD when it held no change. */
  commitFolder(cwd: string, folder: string, message: string): Promise<string>;
  hashes(cwd: string, files: readonly string[]): Promise<Record<string, string>>;
  /** Paths staged in the index against HEAD (a squash merge not yet committed). */
  stagedPaths(cwd: string): Promise<string[]>;
}

export const inFolder = (path: string, folder: string): boolean =>
  path === folder || path.startsWith(`${folder.replace(/\/+$/, "")}/`);

export function createAcceptGit(git: GitRunner): AcceptGit {
  const author = createAuthorFallback(git);
  const changes = createSessionChanges(git);
  const head = async (cwd: string) => (await git(cwd, ["rev-parse", "HEAD"])).stdout.trim();
  return {
    head,
    async listFolder(cwd, folder) {
      const listed = await git(cwd, ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", folder]);
      return [...new Set(splitNul(listed.stdout))].sort();
    },
    async changedOutside(cwd, base, folder) {
      const all = (await changes(cwd, base)).flatMap(touchedPaths);
      return [...new Set(all.filter((path) => !inFolder(path, folder)))].sort();
    },
    async commitFolder(cwd, folder, message) {
      await git(cwd, ["add", "-A", "--", folder]);
      const staged = await git(cwd, ["diff", "--cached", "--quiet", "--", folder], { okExitCodes: [1] });
      if (staged.exitCode === 0) return head(cwd);
      await git(cwd, ["commit", "--quiet", "--no-verify", "-F", "-", "--", folder], {
        stdin: message,
        config: await author(cwd),
      });
      return head(cwd);
    },
    async hashes(cwd, files) {
      const result: Record<string, string> = {};
      for (const file of files) {
        const hashed = await git(cwd, ["hash-object", "--", file], { okExitCodes: [128] });
        result[file] = hashed.exitCode === 0 ? hashed.stdout.trim() : "deleted";
      }
      return result;
    },
    async stagedPaths(cwd) {
      const out = await git(cwd, ["diff", "--cached", "--name-only", "-z", "--no-renames", "HEAD"]);
      return splitNul(out.stdout);
    },
  };
}
