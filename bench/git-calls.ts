/**
 * `bun bench/git-calls.ts`: how many git processes nax spawns per story on
 * the isolated path. 20 independent stories (the test-double agent writes one
 * file each, `true` as the test command) run by `bun bin/nax.ts run` with a
 * `git` shim first on the PATH that logs each call's argv and then runs the
 * real git. Prints the processes per story (the run's fixed start and end
 * counted apart: a 1-story run's calls are the fixed part) and the most
 * frequent subcommands. `NAX_BENCH_NAX=<path to bin/nax.ts>` counts another
 * checkout's nax (a before/after figure). Asserts nothing; cleans up.
 */
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fakeClaudeEnv } from "../test/fakes/fake-claude-script";
import { createBenchProject, fileStoriesPrd, fileStoriesScript } from "./bench-project";

const STORIES = 20;
const naxEntry = process.env.NAX_BENCH_NAX ?? join(import.meta.dir, "..", "bin", "nax.ts");
const root = await mkdtemp(join(tmpdir(), "nax-bench-git-calls-"));
const realGit = Bun.which("git") ?? "/usr/bin/git";
const shimDir = join(root, "shim");
const env: Record<string, string> = {
  ...fakeClaudeEnv({ extra: { NO_COLOR: "1", LANG: process.env.LANG ?? "C.UTF-8" } }),
  HOME: join(root, "home"),
  NAX_HOME: join(root, "nax-home"),
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

async function sh(cmd: string[], cwd: string, extra: Record<string, string> = {}): Promise<string> {
  const proc = Bun.spawn(cmd, { cwd, env: { ...env, ...extra }, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code}: ${err.slice(-2000)}${out.slice(-2000)}`);
  return out;
}

/** Runs `count` of the template's stories with the shim; the logged calls. */
async function countedRun(name: string, base: string, count: number): Promise<string[]> {
  const box = join(root, name);
  const dir = join(box, "project");
  await cp(base, dir, { recursive: true });
  await writeFile(join(box, "fake.json"), JSON.stringify(fileStoriesScript(STORIES)));
  const log = join(box, "git.log");
  const extra = {
    NAX_FAKE_CLAUDE_SCRIPT: join(box, "fake.json"),
    NAX_BENCH_GIT_LOG: log,
    PATH: `${shimDir}:${env.PATH}`,
  };
  const args = [process.execPath, naxEntry, "run", "-f", "bench", "-d", dir, "--max-iterations", String(count)];
  await sh(args, dir, extra).catch((error: Error) => {
    // The iteration limit ends a partial run with exit 1: only a run that never got going is a failure.
    if (!/iteration limit/.test(error.message)) throw error;
  });
  return (await readFile(log, "utf8")).split("\n").filter((line) => line !== "");
}

try {
  await mkdir(shimDir, { recursive: true });
  const shim = join(shimDir, "git");
  await writeFile(shim, `#!/bin/sh\nprintf '%s\\n' "$*" >> "$NAX_BENCH_GIT_LOG"\nexec ${realGit} "$@"\n`);
  await chmod(shim, 0o755);
  const base = await createBenchProject({
    dir: join(root, "template"),
    home: env.HOME as string,
    naxEntry,
    prd: fileStoriesPrd(STORIES),
    sh,
  });
  const one = await countedRun("one", base, 1);
  const all = await countedRun("all", base, STORIES);
  const perStory = (all.length - one.length) / (STORIES - 1);
  const kinds = new Map<string, number>();
  for (const line of all) {
    // `-c key=value` pairs are settings, not the subcommand.
    const words = line
      .split(" ")
      .filter((_, i, all) => all[i - 1] !== "-c")
      .filter((word) => !word.startsWith("-") || word === "--literal-pathspecs");
    const kind = words.slice(0, words[0] === "--literal-pathspecs" ? 2 : 1).join(" ");
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const top = [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(`git-calls: ${naxEntry}`);
  console.log(
    `git-calls: ${STORIES} stories: ${all.length} git processes; 1 story: ${one.length}; ` +
      `${perStory.toFixed(1)} per story beyond the run's fixed ${(one.length - perStory).toFixed(0)}`,
  );
  console.log(`git-calls: by subcommand over ${STORIES} stories: ${top.map(([kind, n]) => `${kind} ${n}`).join(", ")}`);
} finally {
  await rm(root, { recursive: true, force: true });
}
