/**
 * The smart test runner's scoped commands run by the real jest, vitest,
 * pytest and bun (trap 33, docs/traps.md): each temp git project has one test that
 * covers the changed module and passes, and one unrelated test that fails.
 * The scoped run must keep the user's flag values, select only the covering
 * file (so it passes), and the full suite must still fail (so the narrowing
 * is real, not a run of nothing).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { defaultConfig } from "../../src/config/schema";
import { createSys } from "../../src/system/sys";
import { createGitChangedFiles } from "../../src/verification/changed-files";
import { quoteShellArg } from "../../src/verification/shell-words";
import { createSmartTestRunner } from "../../src/verification/smart-runner";
import { createTestRunner } from "../../src/verification/test-runner";
import { createTempTrees } from "../unit/verification/temp-tree";

const trees = createTempTrees("nax-scoped-real-");
afterEach(() => trees.cleanup());

const BIN = resolve(import.meta.dir, "../../node_modules/.bin");
const JEST = resolve(BIN, "jest");
const VITEST = resolve(BIN, "vitest");
const probe = spawnSync("python3", ["-c", "import sys, pytest; print(sys.executable)"], { encoding: "utf8" });
const PYTHON = probe.status === 0 ? probe.stdout.trim() : "";

const env: Record<string, string | undefined> = {
  ...process.env,
  GIT_AUTHOR_NAME: "nax test",
  GIT_AUTHOR_EMAIL: "test@example.invalid",
  GIT_COMMITTER_NAME: "nax test",
  GIT_COMMITTER_EMAIL: "test@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  CI: "1",
};
const sys = createSys({ env, naxHome: join(tmpdir(), "nax-unused-home") });

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync("git", args, { cwd, env: env as Record<string, string>, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** A committed project, then the attempt's change: `changed` rewritten. */
async function project(files: Record<string, string>, changed: Record<string, string>) {
  const cwd = await trees.make(files);
  git(cwd, "init", "-q");
  git(cwd, "add", ".");
  git(cwd, "commit", "-q", "-m", "initial");
  const baseRef = git(cwd, "rev-parse", "HEAD");
  for (const [path, text] of Object.entries(changed)) await Bun.write(`${cwd}/${path}`, text);
  return { cwd, baseRef };
}

async function verify(cwd: string, baseRef: string, testCommand: string) {
  const smart = createSmartTestRunner({ changedFiles: createGitChangedFiles({ spawn: sys.spawn, env }), fs: sys.fs });
  const plan = await smart.plan({
    cwd,
    baseRef,
    smartTestRunner: defaultConfig().execution.smartTestRunner,
    commands: { test: testCommand },
  });
  const tests = createTestRunner({ spawn: sys.spawn, env });
  if (plan.scope === "none") throw new Error(plan.reason);
  const scoped = await tests.run({ cwd, command: plan.command, scope: plan.scope, timeoutMs: 120_000 });
  const full = await tests.run({ cwd, command: testCommand, scope: "full", timeoutMs: 120_000 });
  return { plan, scoped, full };
}

const JS_MODULE = "exports.add = (a, b) => a + b;\n";
const JS_TESTS = {
  "src/calc.js": JS_MODULE,
  "test/calc.test.js": `const { add } = require("../src/calc");\ntest("adds", () => expect(add(2, 3)).toBe(5));\n`,
  "test/other.test.js": `test("an unrelated failing test", () => expect(1).toBe(2));\n`,
};

describe.skipIf(!existsSync(JEST))("scoped verification with the real jest", () => {
  test("npx jest --testMatch '**/*.test.js' keeps its glob and runs only the covering file", async () => {
    const { cwd, baseRef } = await project(
      { ...JS_TESTS, "package.json": '{ "name": "p", "private": true }\n' },
      { "src/calc.js": `${JS_MODULE}// refactored\n` },
    );
    const command = `${quoteShellArg(JEST)} --ci --testMatch '**/*.test.js'`;
    const { plan, scoped, full } = await verify(cwd, baseRef, command);
    expect(plan).toMatchObject({ scope: "scoped", files: ["test/calc.test.js"] });
    expect(plan.command).toBe(`${quoteShellArg(JEST)} 'test/calc\\.test\\.js' --ci --testMatch '**/*.test.js'`);
    expect(scoped).toMatchObject({ passed: true, passedCount: 1, failedCount: 0 });
    expect(full).toMatchObject({ passed: false, failedCount: 1 });
  });
});

describe.skipIf(!existsSync(VITEST))("scoped verification with the real vitest", () => {
  test("vitest run with flag values keeps them and runs only the covering file", async () => {
    const { cwd, baseRef } = await project(JS_TESTS, { "src/calc.js": `${JS_MODULE}// refactored\n` });
    const command = `${quoteShellArg(VITEST)} run --globals --environment node --sequence.seed 7 test/`;
    const { plan, scoped, full } = await verify(cwd, baseRef, command);
    expect(plan).toMatchObject({ scope: "scoped", files: ["test/calc.test.js"] });
    expect(plan.command).toBe(
      `${quoteShellArg(VITEST)} run --globals --environment node --sequence.seed 7 test/calc.test.js`,
    );
    expect(scoped).toMatchObject({ passed: true, passedCount: 1, failedCount: 0 });
    expect(full).toMatchObject({ passed: false, failedCount: 1 });
  });
});

describe.skipIf(PYTHON === "")("scoped verification with the real pytest", () => {
  test("pytest --color yes keeps yes and runs only the covering file", async () => {
    const { cwd, baseRef } = await project(
      {
        "conftest.py": "",
        "calc.py": "def add(a, b):\n    return a + b\n",
        "tests/test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n",
        "tests/test_other.py": "def test_unrelated():\n    assert 1 == 2\n",
      },
      { "calc.py": "def add(a, b):\n    return b + a\n" },
    );
    const command = `${PYTHON} -m pytest --color yes -q`;
    const { plan, scoped, full } = await verify(cwd, baseRef, command);
    expect(plan).toMatchObject({ scope: "scoped", files: ["tests/test_calc.py"] });
    expect(plan.command).toBe(`${PYTHON} -m pytest --color yes -q tests/test_calc.py`);
    expect(scoped).toMatchObject({ passed: true, passedCount: 1, failedCount: 0 });
    expect(full).toMatchObject({ passed: false, failedCount: 1 });
  });
});

describe("scoped verification with the real bun", () => {
  test("bun test ./test --timeout 20000 keeps its value and runs only the covering file inside ./test", async () => {
    const bunTest = (body: string) => `import { expect, test } from "bun:test";\n${body}`;
    const { cwd, baseRef } = await project(
      {
        "src/calc.ts": "export const add = (a: number, b: number) => a + b;\n",
        "test/calc.test.ts": bunTest(
          `import { add } from "../src/calc";\ntest("adds", () => expect(add(2, 3)).toBe(5));\n`,
        ),
        "test/other.test.ts": bunTest(`test("an unrelated failing test", () => expect(1).toBe(2));\n`),
        // Covers the change but lies outside ./test: the user's command never runs it.
        "legacy/calc.test.ts": bunTest(
          `import { add } from "../src/calc";\ntest("old", () => expect(add(2, 3)).toBe(-1));\n`,
        ),
      },
      { "src/calc.ts": "export const add = (a: number, b: number) => b + a;\n" },
    );
    const command = `${quoteShellArg(process.execPath)} test ./test --timeout 20000`;
    const { plan, scoped, full } = await verify(cwd, baseRef, command);
    expect(plan).toMatchObject({ scope: "scoped", files: ["test/calc.test.ts"] });
    expect(plan.command).toBe(`${quoteShellArg(process.execPath)} test ./test/calc.test.ts --timeout 20000`);
    expect(scoped).toMatchObject({ passed: true, passedCount: 1, failedCount: 0 });
    expect(full).toMatchObject({ passed: false, failedCount: 1 });
  });
});
