/**
 * Benchmark: verify time with the smart test runner (scoped command) against
 * the full suite, on a generated project of 200 bun test files, each importing
 * its own small module, in a temp git repo with one source file changed.
 * Prints figures and asserts nothing. Run: ./node_modules/.bin/bun bench/smart-runner.ts
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfig } from "../src/config/schema";
import { createSys } from "../src/system/sys";
import { createGitChangedFiles } from "../src/verification/changed-files";
import { quoteShellArg } from "../src/verification/shell-words";
import { createSmartTestRunner } from "../src/verification/smart-runner";
import { createTestRunner } from "../src/verification/test-runner";

const MODULES = 200;
const CHANGED = 42;
const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const env: Record<string, string | undefined> = {
  ...process.env,
  GIT_AUTHOR_NAME: "nax bench",
  GIT_AUTHOR_EMAIL: "bench@example.invalid",
  GIT_COMMITTER_NAME: "nax bench",
  GIT_COMMITTER_EMAIL: "bench@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};
const root = await mkdtemp(join(tmpdir(), "nax-bench-smart-"));
const sys = createSys({ env, naxHome: join(root, ".nax-home") });

async function git(...args: string[]): Promise<string> {
  const result = await sys.spawn({ cmd: ["git", ...args], cwd: root, env });
  if (result.kind !== "exited" || result.exitCode !== 0) throw new Error(`git ${args.join(" ")} failed`);
  return result.stdout.trim();
}

const id = (index: number) => String(index).padStart(3, "0");
const moduleText = (index: number, factor: number) =>
  `export function scale${id(index)}(values: number[]): number[] {\n  return values.map((value) => value * ${factor});\n}\n`;
const testText = (index: number) => `import { expect, test } from "bun:test";
import { scale${id(index)} } from "../src/mod-${id(index)}";

test("module ${id(index)} scales a list", () => {
  expect(scale${id(index)}([1, 2, 3])).toEqual([2, 4, 6]);
});

test("module ${id(index)} keeps an empty list empty", () => {
  expect(scale${id(index)}([])).toEqual([]);
});
`;

try {
  await mkdir(join(root, "src"));
  await mkdir(join(root, "test"));
  for (let index = 0; index < MODULES; index += 1) {
    await writeFile(join(root, `src/mod-${id(index)}.ts`), moduleText(index, 2));
    await writeFile(join(root, `test/mod-${id(index)}.test.ts`), testText(index));
  }
  await git("init", "-q");
  await git("add", ".");
  await git("commit", "-q", "-m", "generated project");
  const baseRef = await git("rev-parse", "HEAD");
  // The attempt's change: a refactor that keeps behaviour.
  await writeFile(join(root, `src/mod-${id(CHANGED)}.ts`), `${moduleText(CHANGED, 2)}// refactored\n`);

  const config = defaultConfig();
  const commands = { test: `${quoteShellArg(process.execPath)} test test/ --timeout=60000` };
  const tests = createTestRunner({ spawn: sys.spawn, env });
  const smart = createSmartTestRunner({ changedFiles: createGitChangedFiles({ spawn: sys.spawn, env }), fs: sys.fs });
  const timeoutMs = 300_000;

  // One untimed run warms the transpiler cache, then each figure is the median of a few runs.
  let full = await tests.run({ cwd: root, command: commands.test, scope: "full", timeoutMs });
  const fullTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    full = await tests.run({ cwd: root, command: commands.test, scope: "full", timeoutMs });
    fullTimes.push(performance.now() - started);
  }

  // The scoped figure includes planning (git diff, file scan, mapping): that is the smart runner's real cost.
  const scopedTimes: number[] = [];
  const planTimes: number[] = [];
  let plan = await smart.plan({ cwd: root, baseRef, smartTestRunner: config.execution.smartTestRunner, commands });
  let scoped = full;
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    plan = await smart.plan({ cwd: root, baseRef, smartTestRunner: config.execution.smartTestRunner, commands });
    planTimes.push(performance.now() - started);
    if (plan.scope !== "scoped") throw new Error(`expected a scoped plan, got ${plan.scope}: ${plan.reason}`);
    scoped = await tests.run({ cwd: root, command: plan.command, scope: "scoped", timeoutMs });
    scopedTimes.push(performance.now() - started);
  }
  if (plan.scope !== "scoped") throw new Error("unreachable: the loop above checked the plan");
  const fullMs = median(fullTimes);
  const scopedMs = median(scopedTimes);

  console.log(`smart-runner: project of ${MODULES} test files, 1 source file changed`);
  console.log(
    `smart-runner: full suite: ${full.passedCount} passed, ${full.failedCount} failed (passed=${full.passed})`,
  );
  console.log(
    `smart-runner: scoped to ${plan.files.join(", ")}: ${scoped.passedCount} passed (passed=${scoped.passed})`,
  );
  console.log(`smart-runner: command: ${plan.command}`);
  console.log(`smart-runner: planning took ${median(planTimes).toFixed(0)} ms (median of ${ROUNDS})`);
  console.log(
    `smart-runner: full suite ${fullMs.toFixed(0)} ms, scoped ${scopedMs.toFixed(0)} ms, ratio ${(fullMs / scopedMs).toFixed(1)}x`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
