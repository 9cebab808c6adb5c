/**
 * `bun bench/worktree-create.ts`: how long one story's worktree takes to set
 * up in a big repository. A generated git repo of 20,000 committed files (200
 * folders of 100 small files) plus an ignored `node_modules`; each round runs
 * what `createIsolation().open` does before the agent starts: `git worktree
 * add --lock -B <branch> <path> <base>` through the isolation module's git
 * plumbing, then the dependency folders linked in. The worktree is removed
 * (untimed) between rounds. Median of a few rounds; asserts nothing; cleans up.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGitRunner } from "../src/git/run-git";
import { excludeLinks, linkableFolders, prepareDependencies } from "../src/isolation/dependency-links";
import { storyBranch, storyWorktreePath, worktreeRoot } from "../src/isolation/names";
import { createWorktreeGit } from "../src/isolation/worktree-git";
import { createSys } from "../src/system/sys";

const FOLDERS = 200;
const PER_FOLDER = 100;
const REPEATS = Number(process.env.NAX_BENCH_REPEATS ?? 7);
const root = await mkdtemp(join(tmpdir(), "nax-bench-worktree-"));
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", HOME: root };
const sys = createSys({ env, naxHome: join(root, "nax-home") });
const git = createGitRunner({ spawn: sys.spawn, env });
const wt = createWorktreeGit(git);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function generate(dir: string): Promise<void> {
  for (let f = 0; f < FOLDERS; f++) {
    const folder = join(dir, "src", `mod${f}`);
    await mkdir(folder, { recursive: true });
    await Promise.all(
      Array.from({ length: PER_FOLDER }, (_, i) =>
        writeFile(join(folder, `file${i}.ts`), `export const v${i} = ${f};\n`),
      ),
    );
  }
  await mkdir(join(dir, "node_modules", "dep"), { recursive: true });
  await writeFile(join(dir, "node_modules", "dep", "index.js"), "module.exports = 1;\n");
  await writeFile(join(dir, ".gitignore"), "node_modules/\n");
  await git(dir, ["init", "-q", "-b", "main"]);
  await git(dir, ["add", "-A"]);
  await git(dir, ["-c", "user.name=bench", "-c", "user.email=bench@nax.invalid", "commit", "-q", "-m", "files"]);
}

try {
  const dir = join(root, "project");
  await mkdir(dir, { recursive: true });
  const made = performance.now();
  await generate(dir);
  const files = (await git(dir, ["ls-files", "-z"])).stdout.split("\0").filter(Boolean).length;
  console.log(
    `worktree: generated and committed ${files} files in ${((performance.now() - made) / 1000).toFixed(1)} s`,
  );
  const linkDeps = { fs: sys.fs, wt, spawn: sys.spawn, env };
  const folders = await linkableFolders(linkDeps, dir, ["node_modules", ".venv"]);
  await excludeLinks(linkDeps, dir, folders);
  const base = (await wt.revParse(dir, "HEAD")) as string;
  const trees = worktreeRoot(sys.naxHome, dir);
  const times: number[] = [];
  for (let round = 0; round < REPEATS; round++) {
    const path = storyWorktreePath(trees, "bench", "US-001", round + 1);
    const started = performance.now();
    await wt.addWorktree(dir, { path, branch: storyBranch("bench", "US-001"), base, reason: "nax bench" });
    await prepareDependencies(linkDeps, { workdir: dir, worktree: path, folders, timeoutMs: 60_000 });
    times.push(performance.now() - started);
    await wt.unlock(dir, path);
    if (!(await wt.removeWorktree(dir, path))) throw new Error(`the bench's worktree ${path} was not clean`);
  }
  const loads = (
    await Bun.file("/proc/loadavg")
      .text()
      .catch(() => "unknown")
  )
    .split(" ")
    .slice(0, 3)
    .join(" ");
  console.log(`worktree: rounds (ms) ${times.map((t) => t.toFixed(0)).join(", ")}; linked ${folders.join(", ")}`);
  console.log(`worktree: median ${median(times).toFixed(0)} ms to add a worktree of ${files} files (load ${loads})`);
} finally {
  await rm(root, { recursive: true, force: true });
}
