/**
 * Benchmark: scoped vs full verification with the real vitest, jest and
 * pytest (issue 8, trap 33): for each runner a generated temp git project of
 * 48 modules with one test file each, one module changed, then the smart
 * runner's plan + scoped run against the user's full command. The scoped
 * figure includes planning (git diff, project scan, mapping). Prints figures
 * and asserts nothing. Run: ./node_modules/.bin/bun bench/scoped-runners.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { defaultConfig } from "../src/config/schema";
import { createSys } from "../src/system/sys";
import { createGitChangedFiles } from "../src/verification/changed-files";
import { quoteShellArg } from "../src/verification/shell-words";
import { createSmartTestRunner } from "../src/verification/smart-runner";
import { createTestRunner } from "../src/verification/test-runner";

const MODULES = 48;
const CHANGED = 17;
// NAX_BENCH_ROUNDS=1 for a quick look on a busy machine; each round of vitest or jest can take seconds.
const ROUNDS = Number(process.env.NAX_BENCH_ROUNDS ?? 3);

const env: Record<string, string | undefined> = {
  ...process.env,
  GIT_AUTHOR_NAME: "nax bench",
  GIT_AUTHOR_EMAIL: "bench@example.invalid",
  GIT_COMMITTER_NAME: "nax bench",
  GIT_COMMITTER_EMAIL: "bench@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  CI: "1",
};
const BIN = resolve(import.meta.dir, "../node_modules/.bin");
const id = (index: number) => String(index).padStart(3, "0");

interface Runner {
  name: string;
  available: boolean;
  command: string;
  files(index: number): Record<string, string>;
  extra: Record<string, string>;
  changedPath: string;
}

const jsModule = (index: number) => `exports.scale${id(index)} = (values) => values.map((value) => value * 2);\n`;
const jsTest = (index: number) => `const { scale${id(index)} } = require("../src/mod-${id(index)}");
test("module ${id(index)} scales a list", () => expect(scale${id(index)}([1, 2, 3])).toEqual([2, 4, 6]));
test("module ${id(index)} keeps an empty list empty", () => expect(scale${id(index)}([])).toEqual([]));
`;
const jsFiles = (index: number) => ({
  [`src/mod-${id(index)}.js`]: jsModule(index),
  [`test/mod-${id(index)}.test.js`]: jsTest(index),
});

const python = spawnSync("python3", ["-c", "import sys, pytest; print(sys.executable)"], { encoding: "utf8" });
const PYTHON = python.status === 0 ? python.stdout.trim() : "";

const RUNNERS: Runner[] = [
  {
    name: "vitest",
    available: existsSync(join(BIN, "vitest")),
    command: `${quoteShellArg(join(BIN, "vitest"))} run --globals --environment node test/`,
    files: jsFiles,
    extra: {},
    changedPath: `src/mod-${id(CHANGED)}.js`,
  },
  {
    name: "jest",
    available: existsSync(join(BIN, "jest")),
    command: `${quoteShellArg(join(BIN, "jest"))} --ci --testMatch '**/*.test.js' test/`,
    files: jsFiles,
    extra: { "package.json": '{ "name": "bench", "private": true }\n' },
    changedPath: `src/mod-${id(CHANGED)}.js`,
  },
  {
    name: "pytest",
    available: PYTHON !== "",
    command: `${PYTHON} -m pytest -q -p no:cacheprovider --log-cli-level WARNING tests/`,
    files: (index) => ({
      [`app/mod_${id(index)}.py`]: `def scale(values):\n    return [value * 2 for value in values]\n`,
      [`tests/test_mod_${id(index)}.py`]: `from app.mod_${id(index)} import scale\n\n\ndef test_scales():\n    assert scale([1, 2, 3]) == [2, 4, 6]\n\n\ndef test_empty():\n    assert scale([]) == []\n`,
    }),
    extra: { "conftest.py": "", "app/__init__.py": "" },
    changedPath: `app/mod_${id(CHANGED)}.py`,
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function bench(runner: Runner): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), `nax-bench-scoped-${runner.name}-`));
  const sys = createSys({ env, naxHome: join(root, ".nax-home") });
  const git = async (...args: string[]) => {
    const result = await sys.spawn({ cmd: ["git", ...args], cwd: root, env });
    if (result.kind !== "exited" || result.exitCode !== 0) throw new Error(`git ${args.join(" ")} failed`);
    return result.stdout.trim();
  };
  try {
    // As in any real project: the runners' caches under node_modules are not the attempt's changes.
    const files: Record<string, string> = { ".gitignore": "node_modules/\n__pycache__/\n", ...runner.extra };
    for (let index = 0; index < MODULES; index += 1) Object.assign(files, runner.files(index));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    }
    await git("init", "-q");
    await git("add", ".");
    await git("commit", "-q", "-m", "generated project");
    const baseRef = await git("rev-parse", "HEAD");
    // The attempt's change: a refactor that keeps behaviour.
    const comment = runner.name === "pytest" ? "# refactored\n" : "// refactored\n";
    await writeFile(join(root, runner.changedPath), `${files[runner.changedPath]}${comment}`);

    const tests = createTestRunner({ spawn: sys.spawn, env });
    const smart = createSmartTestRunner({ changedFiles: createGitChangedFiles({ spawn: sys.spawn, env }), fs: sys.fs });
    const commands = { test: runner.command };
    const smartTestRunner = defaultConfig().execution.smartTestRunner;
    const timeoutMs = 600_000;

    // One untimed run warms caches (jest's haste map, vite's transforms, pyc files).
    let full = await tests.run({ cwd: root, command: runner.command, scope: "full", timeoutMs });
    const fullTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const started = performance.now();
      full = await tests.run({ cwd: root, command: runner.command, scope: "full", timeoutMs });
      fullTimes.push(performance.now() - started);
    }
    const scopedTimes: number[] = [];
    let plan = await smart.plan({ cwd: root, baseRef, smartTestRunner, commands });
    let scoped = full;
    for (let round = 0; round < ROUNDS; round += 1) {
      const started = performance.now();
      plan = await smart.plan({ cwd: root, baseRef, smartTestRunner, commands });
      if (plan.scope !== "scoped")
        throw new Error(`${runner.name}: expected a scoped plan, got ${plan.scope}: ${plan.reason}`);
      scoped = await tests.run({ cwd: root, command: plan.command, scope: "scoped", timeoutMs });
      scopedTimes.push(performance.now() - started);
    }
    const fullMs = median(fullTimes);
    const scopedMs = median(scopedTimes);
    const label = `scoped-runners: ${runner.name}`;
    console.log(
      `${label}: ${MODULES} test files, 1 module changed; scoped command: ${"command" in plan ? plan.command.replace(BIN, "<bin>") : plan.reason}`,
    );
    console.log(
      `${label}: full ${full.passedCount} passed (passed=${full.passed}), scoped ${scoped.passedCount} passed (passed=${scoped.passed})`,
    );
    console.log(
      `${label}: full suite ${fullMs.toFixed(0)} ms, scoped ${scopedMs.toFixed(0)} ms (median of ${ROUNDS}), ratio ${(fullMs / scopedMs).toFixed(1)}x`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

for (const runner of RUNNERS) {
  if (!runner.available) {
    console.log(`scoped-runners: ${runner.name} is not installed, skipped`);
    continue;
  }
  const started = performance.now();
  await bench(runner);
  console.log(`scoped-runners: ${runner.name} bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
