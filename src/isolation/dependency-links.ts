/**
 * A fresh worktree has no `node_modules`, `.venv` or vendored packages, so
 * the project's own test command would fail there. Each configured folder
 * that exists in the user's checkout and is ignored there is linked into the
 * worktree (a symlink: instant, and installs stay in one place). A symlink is
 * not a folder to git, so an ignore rule `node_modules/` would not cover it:
 * the linked names are added once, root-anchored, to the repository's
 * `info/exclude` (shared by every worktree, never committed), so neither nax
 * nor the agent can commit the link. The user's checkout is unaffected: the
 * folder was ignored there already. Then the optional setup command runs.
 */
import { join } from "node:path";
import { NaxError } from "../errors";
import type { Fs } from "../system/fs";
import type { Spawner } from "../system/spawn";
import type { WorktreeGit } from "./worktree-git";

export interface DependencyLinkDeps {
  fs: Fs;
  wt: Pick<WorktreeGit, "isIgnored" | "commonDir">;
  spawn: Spawner;
  env: Record<string, string | undefined>;
}

const MARK = "# nax: dependency folders linked into nax's worktrees";

/** The configured folders that exist in the checkout and git ignores there. */
export async function linkableFolders(deps: DependencyLinkDeps, workdir: string, names: readonly string[]) {
  const found: string[] = [];
  for (const name of names) {
    const stat = await deps.fs.stat(join(workdir, name));
    if (stat?.isDirectory && (await deps.wt.isIgnored(workdir, `${name}/`))) found.push(name);
  }
  return found;
}

/** Adds `/<name>` lines for the linked folders to `info/exclude`, once. */
export async function excludeLinks(deps: DependencyLinkDeps, workdir: string, names: readonly string[]) {
  if (names.length === 0) return;
  const path = join(await deps.wt.commonDir(workdir), "info", "exclude");
  const text = (await deps.fs.readText(path)) ?? "";
  const lines = new Set(text.split("\n").map((line) => line.trim()));
  const missing = names.filter((name) => !lines.has(`/${name}`));
  if (missing.length === 0) return;
  const head = lines.has(MARK) ? "" : `${text.length > 0 && !text.endsWith("\n") ? "\n" : ""}${MARK}\n`;
  await deps.fs.writeAtomic(path, `${text}${head}${missing.map((name) => `/${name}`).join("\n")}\n`);
}

export async function prepareDependencies(
  deps: DependencyLinkDeps,
  input: { workdir: string; worktree: string; folders: readonly string[]; setupCommand?: string; timeoutMs: number },
): Promise<void> {
  for (const name of input.folders) await deps.fs.symlink(join(input.workdir, name), join(input.worktree, name));
  if (input.setupCommand === undefined) return;
  // The user's own command line, run as they wrote it (like their test command).
  const result = await deps.spawn({
    cmd: ["sh", "-c", input.setupCommand],
    cwd: input.worktree,
    env: deps.env,
    timeoutMs: input.timeoutMs,
  });
  if (result.kind !== "exited" || result.exitCode !== 0) {
    const detail =
      result.kind === "exited" ? `exit ${result.exitCode}: ${result.stderr.trim().slice(-500)}` : result.kind;
    throw new NaxError(
      "CONFIG_INVALID",
      `execution.isolation.setupCommand failed in the story's worktree (${detail}); fix the command in nax/config.json`,
      { worktree: input.worktree },
    );
  }
}
