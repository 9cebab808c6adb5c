/**
 * `bun bench/runs.ts`: how fast `nax runs --last 20` is with 10,000, then
 * 100,000 registered runs across 50 projects (the extra 90,000 are older, so
 * the rows shown are the same), against `nax --version` and the floor of simply reading
 * every registry meta.json. Generates everything in a temp folder (its own
 * NAX_HOME), runs `bun bin/nax.ts runs --last 20` as a real process a few
 * times (with the registry index, and without it, when every meta.json is
 * read), prints medians and ratios, asserts nothing, and cleans up.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { featurePaths, globalPaths, projectPaths } from "../src/state/paths";
import { createRunId } from "../src/state/run-id";
import { runIndexPath } from "../src/state/run-index";

const RUNS = 10_000;
const MORE_RUNS = 90_000;
/** Only the newest runs get event logs and status files: the older ones are never shown by --last 20. */
const WITH_LOGS = 400;
const PROJECTS = 50;
const FEATURES_PER_PROJECT = 4;
const REPEATS = 7;
const START = Date.parse("2025-01-01T00:00:00.000Z");

const root = await mkdtemp(join(tmpdir(), "nax-bench-runs-"));
const naxHome = join(root, "home");
const repo = join(import.meta.dir, "..");

function eventLines(runId: string, feature: string, at: number, ok: boolean): string {
  const ts = (s: number) => new Date(at + s * 1000).toISOString();
  const counts = (passed: number) => ({
    total: 5,
    passed,
    failed: 0,
    paused: 0,
    blocked: 0,
    skipped: 0,
    pending: 5 - passed,
  });
  const line = (seq: number, type: string, data: Record<string, unknown>, storyId?: string) =>
    JSON.stringify({
      ts: ts(seq),
      seq,
      runId,
      type,
      level: "info",
      message: type,
      ...(storyId ? { storyId } : {}),
      data,
    });
  const lines = [line(0, "run:started", { feature, pid: 1, hostname: "bench", counts: counts(0) })];
  for (let s = 1; s <= 5; s++) {
    const storyId = `US-00${s}`;
    lines.push(line(lines.length, "story:started", { storyId, attempt: 1 }, storyId));
    lines.push(line(lines.length, "agent:session-completed", { storyId, costUsd: 0.05, outcome: "success" }, storyId));
    lines.push(line(lines.length, "verify:completed", { storyId, passed: true }, storyId));
    lines.push(line(lines.length, "story:completed", { storyId, counts: counts(s) }, storyId));
  }
  const status = ok ? "completed" : "failed";
  lines.push(
    line(lines.length, "run:completed", {
      status,
      counts: counts(ok ? 5 : 4),
      costSpent: 0.25,
      durationMs: 600_000,
      iterations: 5,
    }),
  );
  return `${lines.join("\n")}\n`;
}

function statusJson(runId: string, feature: string, at: number): string {
  const iso = new Date(at).toISOString();
  return JSON.stringify({
    version: 1,
    run: { id: runId, feature, startedAt: iso, status: "completed", pid: 1, hostname: "bench", dryRun: false },
    progress: { total: 5, passed: 5, failed: 0, paused: 0, blocked: 0, skipped: 0, pending: 0 },
    cost: { spent: 0.25, limit: 20 },
    current: null,
    iterations: 5,
    startedAt: iso,
    updatedAt: iso,
    durationMs: 600_000,
    lastHeartbeat: iso,
  });
}

async function generate(from: number, to: number): Promise<void> {
  const jobs: Promise<void>[] = [];
  const flush = async () => {
    await Promise.all(jobs.splice(0));
  };
  for (let i = from; i < to; i++) {
    const p = i % PROJECTS;
    const project = `project-${p}`;
    const feature = `feature-${Math.floor(i / PROJECTS) % FEATURES_PER_PROJECT}`;
    const workdir = join(root, "work", project);
    const at = START + i * 60_000;
    const runId = createRunId(at);
    const fp = featurePaths(workdir, feature);
    const meta = {
      runId,
      project,
      feature,
      workdir,
      statusPath: fp.status,
      eventsDir: fp.runsDir,
      registeredAt: new Date(at).toISOString(),
    };
    jobs.push(
      (async () => {
        if (i >= RUNS - WITH_LOGS) {
          await mkdir(fp.runsDir, { recursive: true });
          await writeFile(fp.runLog(runId), eventLines(runId, feature, at, i % 7 !== 0));
          // Later runs overwrite the snapshots, as in real life: most rows must fall back to their own log.
          await writeFile(fp.status, statusJson(runId, feature, at));
          await writeFile(projectPaths(workdir).status, statusJson(runId, feature, at));
        }
        const dir = globalPaths(naxHome).runDir(project, feature, runId);
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, "meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
      })(),
    );
    if (jobs.length >= 200) await flush();
  }
  await flush();
}

async function timeProcess(cmd: string[]): Promise<{ ms: number; stdout: string; code: number }> {
  const started = performance.now();
  const env = { ...process.env, NAX_HOME: naxHome, NO_COLOR: "1" };
  const proc = Bun.spawn(cmd, { cwd: repo, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, , code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { ms: performance.now() - started, stdout, code };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const bun = process.execPath;
const runs = [bun, "bin/nax.ts", "runs", "--last", "20"];
const ms = (x: number) => `${x.toFixed(0).padStart(5)} ms`;

async function measureAt(count: number): Promise<number> {
  const baselineScript = join(root, "read-metas.ts");
  await writeFile(
    baselineScript,
    `import { readdir, readFile } from "node:fs/promises";
const dir = ${JSON.stringify(globalPaths(naxHome).runsDir)};
const names = (await readdir(dir)).filter((n) => n.includes("run-") && !n.endsWith(".jsonl"));
const metas = await Promise.all(names.map((n) => readFile(dir + "/" + n + "/meta.json", "utf8").then(JSON.parse)));
console.log(metas.length);
`,
  );
  const index = runIndexPath(naxHome);
  // Without the index: every meta.json is read (and the index is rebuilt), as for a registry no writer indexed.
  await timeProcess([bun, baselineScript]); // warm the page cache
  const cold: number[] = [];
  for (let i = 0; i < 3; i++) {
    await rm(index, { force: true });
    cold.push((await timeProcess(runs)).ms);
  }
  // Interleaved, so that machine load drifts alike for both sides of the ratio.
  const warm: number[] = [];
  const status: number[] = [];
  const readProc: number[] = [];
  const startup: number[] = [];
  let sample = { stdout: "", code: -1 };
  for (let i = 0; i < REPEATS; i++) {
    const r = await timeProcess(runs);
    sample = r;
    warm.push(r.ms);
    readProc.push((await timeProcess([bun, baselineScript])).ms);
    status.push((await timeProcess([...runs, "--status", "failed"])).ms);
    startup.push((await timeProcess([bun, "bin/nax.ts", "--version"])).ms);
  }
  const m = { warm: median(warm), cold: median(cold), readProc: median(readProc), startup: median(startup) };
  const rows = sample.stdout.split("\n").filter((l) => l.startsWith("run-")).length;
  console.log(`\n${count} registered runs; medians of ${REPEATS} (cold: of 3); warm page cache`);
  console.log(
    `nax runs --last 20, with the index (process):        ${ms(m.warm)}  (exit ${sample.code}, ${rows} rows)`,
  );
  console.log(`nax runs --last 20 --status failed, with the index:  ${ms(median(status))}`);
  console.log(`nax runs --last 20, no index yet (reads every meta): ${ms(m.cold)}`);
  console.log(`nax --version (process startup floor):              ${ms(m.startup)}`);
  console.log(`read all ${count} meta.json files (bun process):     ${ms(m.readProc)}`);
  console.log(
    `ratio nax runs / nax --version: ${(m.warm / m.startup).toFixed(2)}x (target at 100,000: at most 1.5x); / read-metas: ${(m.warm / m.readProc).toFixed(2)}x`,
  );
  return m.warm;
}

try {
  let started = performance.now();
  await generate(0, RUNS);
  console.log(
    `generated ${RUNS} runs across ${PROJECTS} projects in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const small = await measureAt(RUNS);
  started = performance.now();
  await generate(-MORE_RUNS, 0);
  console.log(`\ngenerated ${MORE_RUNS} older runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const big = await measureAt(RUNS + MORE_RUNS);
  console.log(
    `\nnax runs --last 20 at ${RUNS + MORE_RUNS} runs / at ${RUNS} runs: ${(big / small).toFixed(2)}x (target: within 1.2x)`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
