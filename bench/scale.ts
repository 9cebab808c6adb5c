/**
 * `bun bench/scale.ts`: nax's readers and planner on a 2,000-story PRD.
 * Generates a git project whose feature has 2,000 stories (a dependency on
 * each of up to three earlier stories; a few hundred already passed, some
 * failed, so diagnose and the blocked rule have work to do), then times
 * `nax run --dry-run`, `nax diagnose` and `nax status -f` as real processes
 * against the targets, with `nax --version` as the process floor.
 * Then the story loop's cost per story: 20 stories run with the instant fake
 * agent in a 2,000-story PRD against the same 20 in a 20-story PRD (the
 * target: per-story overhead independent of PRD size), both over the whole
 * run and as the loop's own cost (a 20-story run less a 1-story run), and
 * how much of the difference is git's (the summed time of its processes).
 * Medians of a few runs; asserts nothing; cleans up.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fakeClaudeEnv, fakeClaudePath } from "../test/fakes/fake-claude-script";

const STORIES = Number(process.env.NAX_BENCH_STORIES ?? 2000);
const REPEATS = Number(process.env.NAX_BENCH_REPEATS ?? 3);
const repo = join(import.meta.dir, "..");
const naxEntry = join(repo, "bin", "nax.ts");
const root = await mkdtemp(join(tmpdir(), "nax-bench-scale-"));
const project = join(root, "project");
const LOOP_STORIES = 20;
const env: Record<string, string> = {
  ...fakeClaudeEnv({ extra: { LANG: process.env.LANG ?? "C.UTF-8" } }),
  HOME: join(root, "home"),
  NAX_HOME: join(root, "nax-home"),
  NO_COLOR: "1",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

const id = (index: number) => `US-${String(index + 1).padStart(4, "0")}`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function story(index: number): Record<string, unknown> {
  const dependencies = [1, 7, 31].filter((back) => index - back >= 0 && index % back === 0).map((b) => id(index - b));
  const status = index < 300 ? "passed" : index % 97 === 0 ? "failed" : "pending";
  return {
    id: id(index),
    title: `Story ${index + 1}: add the endpoint for resource ${index}`,
    description: `As a user I want resource ${index} so that the bench has realistic text to classify.`,
    acceptanceCriteria: [`GET /r/${index} returns 200`, `the response lists resource ${index}`],
    dependencies,
    status,
    attempts: status === "pending" ? 0 : 1,
    ...(status === "failed"
      ? { priorFailures: [{ attempt: 1, tier: "fast", stage: "verify", summary: "1 failing test", failingTests: [] }] }
      : {}),
  };
}

function git(args: string[]): void {
  const result = spawnSync("git", args, { cwd: project, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
}

/** Independent pending stories for the loop measurement: each one's session writes its own file. */
function loopStory(index: number): Record<string, unknown> {
  return { id: id(index), title: `Write file ${index}`, description: "", acceptanceCriteria: ["the file exists"] };
}

const config = {
  agents: { claude: { command: fakeClaudePath() } },
  quality: { commands: { test: "true" }, requireLint: false, requireTypecheck: false },
  execution: { regressionGate: { mode: "disabled" } },
};

async function setUp(): Promise<void> {
  await mkdir(join(project, "nax", "features", "big"), { recursive: true });
  await writeFile(join(project, "nax", "config.json"), JSON.stringify(config));
  const prd = { project: "scale", feature: "big", userStories: Array.from({ length: STORIES }, (_, i) => story(i)) };
  await writeFile(join(project, "nax", "features", "big", "prd.json"), JSON.stringify(prd, null, 2));
  for (const [feature, count] of [
    ["loop-small", LOOP_STORIES],
    ["loop-big", STORIES],
  ] as const) {
    await mkdir(join(project, "nax", "features", feature), { recursive: true });
    const stories = Array.from({ length: count }, (_, i) => loopStory(i));
    await writeFile(
      join(project, "nax", "features", feature, "prd.json"),
      JSON.stringify({ project: "scale", feature, userStories: stories }, null, 2),
    );
  }
  const sessions = Array.from({ length: LOOP_STORIES }, (_, i) => ({
    name: id(i),
    match: `# Task: ${id(i)} `,
    actions: [{ write: { path: `out/${id(i)}.txt`, content: "x\n" } }],
    result: { total_cost_usd: 0.0001 },
  }));
  await writeFile(join(root, "fake-claude.json"), JSON.stringify({ sessions }));
  env.NAX_FAKE_CLAUDE_SCRIPT = join(root, "fake-claude.json");
  await writeFile(join(project, ".gitignore"), "nax/status.json\n");
  git(["init", "-q"]);
  git(["config", "user.email", "bench@nax.invalid"]);
  git(["config", "user.name", "nax bench"]);
  git(["add", "-A"]);
  git(["commit", "-qm", "init"]);
}

function time(args: string[], extraEnv: Record<string, string> = {}): { ms: number; code: number | null } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [naxEntry, ...args], {
    cwd: project,
    env: { ...env, ...extraEnv },
    encoding: "utf8",
  });
  return { ms: performance.now() - started, code: result.status };
}

function measure(args: string[]): { ms: number; code: number | null } {
  const runs = Array.from({ length: REPEATS }, () => time(args));
  return { ms: median(runs.map((r) => r.ms)), code: runs[0]?.code ?? null };
}

/** One run of the first `count` stories of a feature, from the committed state (reset after, untimed); its ms. */
function loopRun(
  feature: string,
  count = LOOP_STORIES,
  extraEnv: Record<string, string> = {},
  afterRun?: () => void,
): number {
  const { ms, code } = time(["run", "-f", feature, "--max-iterations", String(count)], extraEnv);
  if (code !== 0 && code !== 1) throw new Error(`nax run -f ${feature} exited ${code}`);
  afterRun?.();
  const head = spawnSync("git", ["rev-list", "--max-parents=0", "HEAD"], { cwd: project, env, encoding: "utf8" });
  git(["reset", "-q", "--hard", head.stdout.trim()]);
  return ms;
}

/**
 * The summed wall time of the git processes a 20-story run started, per story (GIT_TRACE2_EVENT's exit
 * events), and the PRD's size after the run (routing adds a decision to every story at the run's start).
 */
function gitMsPerStory(feature: string): { ms: number; prdBytes: number } {
  const trace = join(root, `trace2-${feature}.json`);
  let prdBytes = 0;
  const prd = join(project, "nax", "features", feature, "prd.json");
  loopRun(feature, LOOP_STORIES, { GIT_TRACE2_EVENT: trace }, () => {
    prdBytes = statSync(prd).size;
  });
  let seconds = 0;
  for (const line of readFileSync(trace, "utf8").split("\n")) {
    if (!line.includes('"event":"exit"')) continue;
    seconds += (JSON.parse(line) as { t_abs: number }).t_abs;
  }
  rmSync(trace, { force: true });
  return { ms: (seconds * 1000) / LOOP_STORIES, prdBytes };
}

try {
  await setUp();
  console.log(`${STORIES} stories; medians of ${REPEATS} runs (bun bin/nax.ts as a process)`);
  const floor = measure(["--version"]);
  console.log(`  nax --version (process floor)   ${floor.ms.toFixed(0).padStart(6)} ms`);
  const cases: [string, string[], number][] = [
    ["nax run --dry-run", ["run", "-f", "big", "--dry-run"], 1000],
    ["nax diagnose -f big", ["diagnose", "-f", "big"], 1000],
    ["nax status -f big", ["status", "-f", "big"], 500],
  ];
  for (const [label, args, target] of cases) {
    const { ms, code } = measure(args);
    const verdict = ms <= target ? "within" : "OVER";
    console.log(
      `  ${label.padEnd(31)} ${ms.toFixed(0).padStart(6)} ms  (exit ${code}; target < ${target} ms: ${verdict})`,
    );
  }
  // Per story: the whole run over the stories run, and the loop's own cost (a 20-story run less a 1-story run,
  // over the 19 stories between: the run's start and end, which read, check and route the whole PRD once, drop out).
  const rounds = Array.from({ length: REPEATS }, () => ({
    small: loopRun("loop-small"),
    big: loopRun("loop-big"),
    small1: loopRun("loop-small", 1),
    big1: loopRun("loop-big", 1),
  }));
  const per = (pick: (r: (typeof rounds)[number]) => number) => median(rounds.map(pick));
  const small = per((r) => r.small / LOOP_STORIES);
  const big = per((r) => r.big / LOOP_STORIES);
  const smallLoop = per((r) => (r.small - r.small1) / (LOOP_STORIES - 1));
  const bigLoop = per((r) => (r.big - r.big1) / (LOOP_STORIES - 1));
  console.log(
    `  story loop, ${LOOP_STORIES}-story PRD          ${small.toFixed(1).padStart(6)} ms/story over the run, ${smallLoop.toFixed(1)} ms/story in the loop`,
  );
  console.log(
    `  story loop, ${STORIES}-story PRD        ${big.toFixed(1).padStart(6)} ms/story over the run (${(big / small).toFixed(2)}x), ${bigLoop.toFixed(1)} ms/story in the loop (${(bigLoop / smallLoop).toFixed(2)}x; target: independent of size, ~1.1x)`,
  );
  // Where the difference goes: one more run of each, untimed, with git's trace2 events on, summing the
  // wall time of every git process nax started. A share, not a timing: trace2 slows git a little, and
  // housekeeping's processes overlap the next story's.
  const gitSmall = gitMsPerStory("loop-small");
  const gitBig = gitMsPerStory("loop-big");
  const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
  const signed = (ms: number) => `${ms < 0 ? "-" : "+"}${Math.abs(ms).toFixed(1)}`;
  console.log(
    `  git processes' summed time         ${gitSmall.ms.toFixed(1)} ms/story (${LOOP_STORIES}-story PRD), ${gitBig.ms.toFixed(1)} ms/story (${STORIES}-story PRD): ${signed(gitBig.ms - gitSmall.ms)} ms against the run's ${signed(big - small)} ms/story`,
  );
  console.log(
    `  prd.json after the run             ${kb(gitSmall.prdBytes)} (${LOOP_STORIES} stories), ${kb(gitBig.prdBytes)} (${STORIES} stories): saved twice and committed once per story`,
  );
  let loads = "unknown (no /proc/loadavg)";
  if (existsSync("/proc/loadavg")) loads = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`  load average at the end ${loads}`);
} finally {
  if (process.env.NAX_BENCH_KEEP) console.log(`  kept ${root}`);
  else await rm(root, { recursive: true, force: true });
}
