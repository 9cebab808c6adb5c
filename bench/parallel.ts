/**
 * `bun bench/parallel.ts`: what `--parallel` buys. 8 independent stories, the
 * fake `claude` test double sleeping 3 s in each session before writing the
 * story's file, test command `true`. Wall time of `bun bin/nax.ts run
 * --parallel 4` against `--parallel 1` (a real process each, fresh copies of
 * one template project), medians of a few runs and the speedup. The ideal is
 * 4x (two rounds of four 3 s sessions against eight in a row); what is lost
 * is the serial merge queue, worktree setup and the run's own start and end.
 * Asserts nothing; cleans up.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fakeClaudeEnv } from "../test/fakes/fake-claude-script";
import { createBenchProject, fileStoriesPrd, fileStoriesScript } from "./bench-project";

const STORIES = 8;
const AGENT_MS = 3000;
const REPEATS = Number(process.env.NAX_BENCH_REPEATS ?? 3);
const repo = join(import.meta.dir, "..");
const naxEntry = join(repo, "bin", "nax.ts");
const bun = process.execPath;
const root = await mkdtemp(join(tmpdir(), "nax-bench-parallel-"));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
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

const script = fileStoriesScript(STORIES, [{ sleep: AGENT_MS }]);

function template(): Promise<string> {
  return createBenchProject({
    dir: join(root, "template"),
    home: env.HOME as string,
    naxEntry,
    prd: fileStoriesPrd(STORIES),
    sh,
  });
}

async function timeRun(name: string, base: string, parallel: number): Promise<number> {
  const box = join(root, name);
  const dir = join(box, "project");
  await cp(base, dir, { recursive: true });
  await writeFile(join(box, "fake-claude.json"), JSON.stringify(script));
  const fake = { NAX_FAKE_CLAUDE_SCRIPT: join(box, "fake-claude.json"), NAX_FAKE_CLAUDE_LOG: join(box, "log") };
  const started = performance.now();
  const out = await sh([bun, naxEntry, "run", "-f", "bench", "-d", dir, "--parallel", String(parallel)], dir, fake);
  const wall = performance.now() - started;
  if (!/run completed/.test(out)) throw new Error(`--parallel ${parallel} did not complete:\n${out.slice(-2000)}`);
  const commits = Number((await sh(["git", "rev-list", "--count", "HEAD"], dir)).trim());
  if (commits < STORIES + 1)
    throw new Error(`--parallel ${parallel} landed ${commits - 1} commits, expected ${STORIES}`);
  return wall;
}

try {
  const base = await template();
  const one: number[] = [];
  const four: number[] = [];
  for (let round = 0; round < REPEATS; round++) {
    four.push(await timeRun(`p4-${round}`, base, 4));
    one.push(await timeRun(`p1-${round}`, base, 1));
  }
  const loads = (await readFile("/proc/loadavg", "utf8").catch(() => "unknown")).split(" ").slice(0, 3).join(" ");
  const list = (values: number[]) => values.map((v) => (v / 1000).toFixed(2)).join(", ");
  console.log(`parallel: ${STORIES} independent stories, fake claude sleeping ${AGENT_MS} ms per session`);
  console.log(`parallel: --parallel 1 runs (s) ${list(one)}; --parallel 4 runs (s) ${list(four)}; load ${loads}`);
  console.log(
    `parallel: median --parallel 1 ${(median(one) / 1000).toFixed(2)} s, --parallel 4 ${(median(four) / 1000).toFixed(2)} s, ` +
      `speedup ${(median(one) / median(four)).toFixed(2)}x (target >= 3.4x)`,
  );
} finally {
  if (process.env.NAX_BENCH_KEEP) console.log(`parallel: kept ${root}`);
  else await rm(root, { recursive: true, force: true });
}
