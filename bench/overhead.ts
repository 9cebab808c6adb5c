/**
 * `bun bench/overhead.ts`: nax's orchestration overhead per story. 50 stories,
 * an instant agent (the fake `claude` test double, each session writing one
 * small file) and a trivial test command (`true`). nax's wall time (`bun
 * bin/nax.ts run` as a real process, human output into a pipe, the default
 * deferred regression gate on: it runs once per run and is part of nax's
 * cost) against the floor: a plain `sh` loop doing the same essential work per
 * story as nax's isolated run does it (ADR 004): `git worktree add` of a story
 * branch cut from an integration branch (itself checked out in a worktree),
 * the same fake with the same argv and prompt on stdin run there, the test
 * command, `git add -A && git commit`, `git merge --squash` plus a commit in
 * the integration worktree, `git worktree remove` and the branch deleted; at
 * the end the user's branch is fast-forwarded. The floor replays the exact
 * argv and prompts nax sent, read from the fake's invocation log of a warm-up
 * run. Medians of a few runs per side; asserts nothing; cleans up. Besides
 * wall time it prints each side's CPU time (user + system of the whole process
 * tree, from the rusage of the waited-for child): on a busy machine wall time
 * swings with the load, CPU time much less.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fakeClaudeEnv, fakeClaudePath, readFakeClaudeLog } from "../test/fakes/fake-claude-script";
import { benchStoryId, createBenchProject, fileStoriesPrd, fileStoriesScript } from "./bench-project";

const STORIES = 50;
const REPEATS = Number(process.env.NAX_BENCH_REPEATS ?? 7);
const repo = join(import.meta.dir, "..");
const naxEntry = join(repo, "bin", "nax.ts");
const bun = process.execPath;
const root = await mkdtemp(join(tmpdir(), "nax-bench-overhead-"));

const id = benchStoryId;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

const env: Record<string, string> = {
  ...fakeClaudeEnv({ extra: { NO_COLOR: "1", LANG: process.env.LANG ?? "C.UTF-8" } }),
  HOME: join(root, "home"),
  NAX_HOME: join(root, "nax-home"),
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

interface Measured {
  out: string;
  wallMs: number;
  /** User + system CPU of the process and every descendant it waited for. */
  cpuMs: number;
}

async function measure(cmd: string[], cwd: string, extra: Record<string, string> = {}): Promise<Measured> {
  const started = performance.now();
  const proc = Bun.spawn(cmd, { cwd, env: { ...env, ...extra }, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code}: ${err.slice(-2000)}${out.slice(-2000)}`);
  const cpuMs = Number(proc.resourceUsage()?.cpuTime.total ?? Number.NaN) / 1000;
  return { out, wallMs, cpuMs };
}

async function sh(cmd: string[], cwd: string, extra: Record<string, string> = {}): Promise<string> {
  return (await measure(cmd, cwd, extra)).out;
}

/** A git project set up as a user would (`nax init`, `nax features create`), with the fake as the agent. */
function template(): Promise<string> {
  return createBenchProject({
    dir: join(root, "template"),
    home: env.HOME as string,
    naxEntry,
    prd: fileStoriesPrd(STORIES),
    sh,
  });
}

/** A fresh copy of the template plus its own fake script and log; none of this is timed. */
async function fresh(name: string, base: string) {
  const box = join(root, name);
  const dir = join(box, "project");
  const logPath = join(box, "fake-claude.log");
  await cp(base, dir, { recursive: true });
  await writeFile(join(box, "fake-claude.json"), JSON.stringify(fileStoriesScript(STORIES)));
  const fakeEnv = { NAX_FAKE_CLAUDE_SCRIPT: join(box, "fake-claude.json"), NAX_FAKE_CLAUDE_LOG: logPath };
  return { dir, logPath, fakeEnv };
}

async function timeNax(name: string, base: string): Promise<Measured & { logPath: string }> {
  const { dir, logPath, fakeEnv } = await fresh(name, base);
  const run = await measure([bun, naxEntry, "run", "-f", "bench", "-d", dir], dir, fakeEnv);
  const status = (await sh(["git", "status", "--porcelain"], dir)).trim();
  if (status !== "") throw new Error(`nax left the tree dirty:\n${status}`);
  return { ...run, logPath };
}

/**
 * The floor's shell script: per story, a worktree cut from the integration branch, the fake with nax's own
 * argv and prompt there, the test command, a commit, a squash merge into the integration worktree, the
 * worktree and branch removed; then the user's branch fast-forwarded.
 */
async function floorScript(logPath: string, dir: string): Promise<string> {
  const calls = (await readFakeClaudeLog(logPath)).filter((call) => !call.argv.includes("--version"));
  if (calls.length !== STORIES) throw new Error(`expected ${STORIES} agent sessions in nax's run, saw ${calls.length}`);
  // nax runs the test command once on the base commit before the first story (the precheck): so does the floor.
  const trees = join(dir, "trees");
  const integration = join(trees, "integration");
  const lines = [
    "set -e",
    "sh -c true",
    `P=$(pwd)`,
    `git worktree add -q -b floor-integration ${quote(integration)} HEAD`,
  ];
  for (const [index, call] of calls.entries()) {
    const promptPath = join(dir, `prompt-${index}.txt`);
    await writeFile(promptPath, call.prompt);
    const argv = [fakeClaudePath(), ...call.argv].map(quote).join(" ");
    const tree = quote(join(trees, id(index)));
    lines.push(
      `git worktree add -q --lock -b floor-${id(index)} ${tree} floor-integration`,
      `cd ${tree}`,
      `${argv} < ${quote(promptPath)} > /dev/null`,
      "sh -c true",
      `git add -A && git commit -q -m ${id(index)}`,
      `cd ${quote(integration)}`,
      `git merge -q --squash floor-${id(index)} && git commit -q -m ${id(index)}`,
      'cd "$P"',
      `git worktree unlock ${tree} && git worktree remove ${tree} && git branch -q -D floor-${id(index)}`,
    );
  }
  lines.push(`git worktree remove ${quote(integration)}`, "git merge -q --ff-only floor-integration");
  const path = join(dir, "floor.sh");
  await writeFile(path, `${lines.join("\n")}\n`);
  return path;
}

async function timeFloor(name: string, base: string, prompts: string): Promise<Measured> {
  const { dir, fakeEnv } = await fresh(name, base);
  const floor = await floorScript(prompts, join(dir, ".."));
  const run = await measure(["sh", floor], dir, fakeEnv);
  const commits = Number((await sh(["git", "rev-list", "--count", "HEAD"], dir)).trim());
  if (commits !== STORIES + 1) throw new Error(`the floor made ${commits - 1} commits, expected ${STORIES}`);
  return run;
}

function report(what: string, naxRuns: number[], floorRuns: number[]): void {
  const nax = median(naxRuns);
  const floor = median(floorRuns);
  const list = (values: number[]) => values.map((v) => (v / 1000).toFixed(2)).join(", ");
  console.log(`overhead: ${what}: nax runs (s) ${list(naxRuns)}; floor runs (s) ${list(floorRuns)}`);
  console.log(
    `overhead: ${what}: median nax ${(nax / 1000).toFixed(2)} s, median floor ${(floor / 1000).toFixed(2)} s, ` +
      `ratio ${(nax / floor).toFixed(2)}x, ${((nax - floor) / STORIES).toFixed(1)} ms of overhead per story`,
  );
}

try {
  const base = await template();
  const warm = await timeNax("warm-up", base);
  if (!/run completed/.test(warm.out)) throw new Error(`nax's warm-up run did not complete:\n${warm.out}`);
  const naxRuns: Measured[] = [];
  const floorRuns: Measured[] = [];
  for (let round = 0; round < REPEATS; round++) {
    naxRuns.push(await timeNax(`nax-${round}`, base));
    floorRuns.push(await timeFloor(`floor-${round}`, base, warm.logPath));
  }
  const loads = (await readFile("/proc/loadavg", "utf8").catch(() => "unknown")).split(" ").slice(0, 3).join(" ");
  console.log(
    `overhead: ${STORIES} stories, fake claude writing one file each, test command \`true\`, ${REPEATS} runs a side`,
  );
  console.log("overhead: deferred regression gate on (the default; one full-suite run per nax run)");
  console.log("overhead: base-suite precheck on (one test-command run before the first story, on both sides)");
  console.log(`overhead: load average at the end ${loads} (wall time is only meaningful on an idle machine)`);
  report(
    "wall",
    naxRuns.map((r) => r.wallMs),
    floorRuns.map((r) => r.wallMs),
  );
  report(
    "cpu ",
    naxRuns.map((r) => r.cpuMs),
    floorRuns.map((r) => r.cpuMs),
  );
  console.log("overhead: target: wall ratio <= 1.5x");
} finally {
  await rm(root, { recursive: true, force: true });
}
