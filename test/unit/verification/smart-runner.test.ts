import { afterEach, describe, expect, test } from "bun:test";
import { defaultConfig, type NaxConfig } from "../../../src/config/schema";
import { createNodeFs } from "../../../src/system/fs";
import type { ChangedFiles } from "../../../src/verification/changed-files";
import { createSmartTestRunner } from "../../../src/verification/smart-runner";
import { createTempTrees } from "./temp-tree";

const trees = createTempTrees("nax-smart-runner-");
afterEach(() => trees.cleanup());

const IMPORT_MATH = `import { add } from "../src/math";\n`;
const TREE = {
  "src/math.ts": "export const add = (a: number, b: number) => a + b;\n",
  "src/helpers/format.ts": "export const fmt = (n: number) => String(n);\n",
  "src/orphan.ts": "export const alone = 1;\n",
  "src/auth/index.ts": "export const login = () => true;\n",
  "test/math.test.ts": IMPORT_MATH,
  "test/unit/strings.test.ts": "import { x } from './strings-helper';\n",
  "test/report.test.ts": `import { fmt } from "../src/helpers/format";\n`,
  "test/session.test.ts": `import { login } from "../src/auth";\n`,
  "node_modules/dep/math.test.ts": IMPORT_MATH,
  "app/util.py": "def f(): return 1\n",
  "tests/test_util.py": "from app.util import f\n",
  "README.md": "# readme\n",
};

function configWith(
  commands: NaxConfig["quality"]["commands"],
  smart: Partial<NaxConfig["execution"]["smartTestRunner"]> = {},
) {
  const config = defaultConfig();
  return { commands, smartTestRunner: { ...config.execution.smartTestRunner, ...smart } };
}

function runnerFor(changed: string[] | Error) {
  const seen: Array<[string, string]> = [];
  const changedFiles: ChangedFiles = async (cwd, baseRef) => {
    seen.push([cwd, baseRef]);
    if (changed instanceof Error) throw changed;
    return changed;
  };
  return { smart: createSmartTestRunner({ changedFiles, fs: createNodeFs() }), seen };
}

const BUN = { test: "bun test test/ --timeout=60000" };

describe("smart test runner", () => {
  test("runs a changed test file directly", async () => {
    const cwd = await trees.make(TREE);
    const { smart, seen } = runnerFor(["test/unit/strings.test.ts"]);
    const plan = await smart.plan({ cwd, baseRef: "abc123", ...configWith(BUN) });
    expect(seen).toEqual([[cwd, "abc123"]]);
    expect(plan).toMatchObject({ scope: "scoped", files: ["test/unit/strings.test.ts"] });
    expect(plan.scope === "scoped" && plan.command).toBe("bun test ./test/unit/strings.test.ts --timeout=60000");
  });

  test("maps a changed source file to its test through testFilePatterns, never to node_modules", async () => {
    const cwd = await trees.make(TREE);
    const plan = await runnerFor(["src/math.ts"]).smart.plan({ cwd, baseRef: "abc", ...configWith(BUN) });
    expect(plan).toMatchObject({ scope: "scoped", files: ["test/math.test.ts"] });
  });

  test("falls back to test files that import the changed module", async () => {
    const cwd = await trees.make(TREE);
    const plan = await runnerFor(["src/helpers/format.ts"]).smart.plan({ cwd, baseRef: "abc", ...configWith(BUN) });
    expect(plan).toMatchObject({ scope: "scoped", files: ["test/report.test.ts"] });
  });

  test("finds the importers of an index module by its folder name", async () => {
    const cwd = await trees.make(TREE);
    const plan = await runnerFor(["src/auth/index.ts"]).smart.plan({ cwd, baseRef: "abc", ...configWith(BUN) });
    expect(plan).toMatchObject({ scope: "scoped", files: ["test/session.test.ts"] });
  });

  test("maps a Python module with the default patterns", async () => {
    const cwd = await trees.make(TREE);
    const plan = await runnerFor(["app/util.py"]).smart.plan({
      cwd,
      baseRef: "abc",
      ...configWith({ test: "pytest -q" }),
    });
    expect(plan).toEqual({
      scope: "scoped",
      files: ["tests/test_util.py"],
      command: "pytest -q tests/test_util.py",
      reason: "1 test file(s) cover 1 changed file(s)",
    });
  });

  test("honours custom patterns with {dir}", async () => {
    const cwd = await trees.make({
      "lib/x/core.js": "",
      "lib/x/__checks__/core.check.js": "",
      "lib/y/__checks__/core.check.js": "",
    });
    const smart = configWith({ test: "npx jest" }, { testFilePatterns: ["{dir}/__checks__/{name}.check.{ext}"] });
    const plan = await runnerFor(["lib/x/core.js"]).smart.plan({ cwd, baseRef: "abc", ...smart });
    expect(plan).toMatchObject({ scope: "scoped", files: ["lib/x/__checks__/core.check.js"] });
  });

  test("runs the full suite when a changed source file has no test", async () => {
    const cwd = await trees.make(TREE);
    const plan = await runnerFor(["src/math.ts", "src/orphan.ts"]).smart.plan({
      cwd,
      baseRef: "a",
      ...configWith(BUN),
    });
    expect(plan).toEqual({ scope: "full", command: BUN.test, reason: "no test file matches or imports src/orphan.ts" });
  });

  test("skips the import search when the fallback is full-suite", async () => {
    const cwd = await trees.make(TREE);
    const input = { cwd, baseRef: "a", ...configWith(BUN, { fallback: "full-suite" }) };
    const plan = await runnerFor(["src/helpers/format.ts"]).smart.plan(input);
    expect(plan).toMatchObject({ scope: "full", reason: "no test file matches src/helpers/format.ts" });
  });

  test("still verifies an attempt that changed nothing, with the full suite (trap 22)", async () => {
    const cwd = await trees.make(TREE);
    const plan = await runnerFor([]).smart.plan({ cwd, baseRef: "a", ...configWith(BUN) });
    expect(plan).toMatchObject({ scope: "full", command: BUN.test });
  });

  test("runs the full suite when the changed files cannot be listed", async () => {
    const cwd = await trees.make(TREE);
    const plan = await runnerFor(new Error("not a git repository")).smart.plan({
      cwd,
      baseRef: "a",
      ...configWith(BUN),
    });
    expect(plan).toMatchObject({ scope: "full", reason: "could not list changed files: not a git repository" });
  });

  test("ignores prose and nax state next to a code change", async () => {
    const cwd = await trees.make(TREE);
    const changed = ["README.md", "nax/features/f/prd.json", "src/math.ts"];
    const plan = await runnerFor(changed).smart.plan({ cwd, baseRef: "a", ...configWith(BUN) });
    expect(plan).toMatchObject({ scope: "scoped", files: ["test/math.test.ts"] });
  });

  test("uses the testScoped template when one is configured", async () => {
    const cwd = await trees.make(TREE);
    const commands = { test: "make test", testScoped: "make test FILES='{{files}}'" };
    const plan = await runnerFor(["src/math.ts"]).smart.plan({ cwd, baseRef: "a", ...configWith(commands) });
    expect(plan).toMatchObject({ scope: "scoped", command: "make test FILES='test/math.test.ts'" });
  });

  test("runs the full suite when the command cannot be scoped and no template is set", async () => {
    const cwd = await trees.make(TREE);
    const plan = await runnerFor(["src/math.ts"]).smart.plan({
      cwd,
      baseRef: "a",
      ...configWith({ test: "npm test" }),
    });
    expect(plan).toMatchObject({ scope: "full", command: "npm test" });
    expect(plan.scope === "full" && plan.reason).toContain("testScoped");
  });

  test("does not ask git what changed when the command cannot be scoped and no template is set", async () => {
    const cwd = await trees.make(TREE);
    const { smart, seen } = runnerFor(["src/math.ts"]);
    const plan = await smart.plan({ cwd, baseRef: "a", ...configWith({ test: "npm test" }) });
    expect(plan).toMatchObject({ scope: "full", command: "npm test" });
    expect(seen).toEqual([]);
  });

  test("runs the full suite when disabled or without a base commit", async () => {
    const cwd = await trees.make(TREE);
    const disabled = await runnerFor(["src/math.ts"]).smart.plan({
      cwd,
      baseRef: "a",
      ...configWith(BUN, { enabled: false }),
    });
    expect(disabled).toMatchObject({ scope: "full", reason: "the smart test runner is disabled" });
    const noBase = await runnerFor(["src/math.ts"]).smart.plan({ cwd, ...configWith(BUN) });
    expect(noBase).toMatchObject({ scope: "full", reason: "no base commit to diff against" });
  });

  test("runs the full suite when the project cannot be read", async () => {
    const cwd = await trees.make(TREE);
    const fs = createNodeFs();
    const denied = new Error("EACCES: permission denied, scandir");
    const smart = createSmartTestRunner({
      changedFiles: async () => ["src/math.ts"],
      fs: { ...fs, readdir: async () => Promise.reject(denied) },
    });
    const plan = await smart.plan({ cwd, baseRef: "a", ...configWith(BUN) });
    expect(plan).toMatchObject({ scope: "full", reason: `could not map changes to tests: ${denied.message}` });
  });

  test("never selects a test outside the command's own paths, and says why it ran the full suite (trap 33)", async () => {
    const cwd = await trees.make({
      "calc.py": "def add(a, b): return a + b\n",
      "tests/test_calc.py": "from calc import add\n",
      "legacy/test_calc.py": "from calc import add\n",
    });
    const inside = await runnerFor(["calc.py"]).smart.plan({
      cwd,
      baseRef: "a",
      ...configWith({ test: "pytest -x tests/" }),
    });
    expect(inside).toMatchObject({
      scope: "scoped",
      files: ["tests/test_calc.py"],
      command: "pytest -x tests/test_calc.py",
      reason: "1 test file(s) cover 1 changed file(s); left out, outside the command's paths: legacy/test_calc.py",
    });
    const outside = await runnerFor(["legacy/test_calc.py"]).smart.plan({
      cwd,
      baseRef: "a",
      ...configWith({ test: "pytest -x tests/" }),
    });
    expect(outside).toEqual({
      scope: "full",
      command: "pytest -x tests/",
      reason: "no test file for the change (legacy/test_calc.py) lies within the command's paths (tests/)",
    });
  });

  test("runs the full suite when pytest's own config bounds a command that names no path", async () => {
    const cwd = await trees.make({
      "calc.py": "def add(a, b): return a + b\n",
      "tests/test_calc.py": "from calc import add\n",
      "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
    });
    const plan = await runnerFor(["calc.py"]).smart.plan({ cwd, baseRef: "a", ...configWith({ test: "pytest -q" }) });
    expect(plan).toMatchObject({ scope: "full", command: "pytest -q" });
    expect(plan.scope === "full" && plan.reason).toContain("pyproject.toml sets testpaths");
  });

  test("runs the full suite, naming the word, when a flag's arity is unknown, and asks git nothing", async () => {
    const cwd = await trees.make(TREE);
    const { smart, seen } = runnerFor(["app/util.py"]);
    const plan = await smart.plan({ cwd, baseRef: "a", ...configWith({ test: "pytest --my-level INFO tests/" }) });
    expect(plan).toMatchObject({ scope: "full", command: "pytest --my-level INFO tests/" });
    expect(plan.scope === "full" && plan.reason).toContain(`cannot tell whether "INFO" is the value of "--my-level"`);
    expect(seen).toEqual([]);
  });

  test("says so when no test command is configured", async () => {
    const cwd = await trees.make(TREE);
    const plan = await runnerFor(["src/math.ts"]).smart.plan({ cwd, baseRef: "a", ...configWith({}) });
    expect(plan.scope).toBe("none");
  });
});
