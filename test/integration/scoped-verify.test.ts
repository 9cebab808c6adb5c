/**
 * The reproductions of trap 33 (docs/traps.md) end to end: a real `nax run`
 * with the fake agent fixing `calc.py`, verified by the real pytest through
 * the smart test runner. Before the fix, nax dropped `INFO` from
 * `--log-cli-level INFO` and selected a failing test outside the user's
 * `tests/`, so these stories could never pass.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { EventLineSchema } from "../../src/state/event-line";
import { StatusFileSchema } from "../../src/state/status-file";
import { createTestProject, type TestProject } from "../helpers/project";

// The project's PATH is minimal: name the python that has pytest by its absolute path.
const probe = spawnSync("python3", ["-c", "import sys, pytest; print(sys.executable)"], { encoding: "utf8" });
const PYTHON = probe.status === 0 ? probe.stdout.trim() : "";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const BROKEN = "def add(a, b):\n    return a - b\n";
const FIXED = "def add(a, b):\n    return a + b\n";
const CALC_TEST = "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n";
// A test the user's suite never runs (it is outside tests/) and that fails whatever the agent does.
const LEGACY_TEST = "from calc import add\n\n\ndef test_old_behaviour():\n    assert add(2, 3) == -1\n";

async function runFixingCalc(testCommand: string, files: Record<string, string>) {
  project = await createTestProject({
    stories: [{ id: "US-001", title: "add adds" }],
    files: { "calc.py": BROKEN, "tests/test_calc.py": CALC_TEST, "conftest.py": "", ...files },
    config: {
      quality: { commands: { test: testCommand } },
      autoMode: { escalation: { tierOrder: [{ tier: "fast", attempts: 1 }] } },
      execution: { rectification: { maxRetries: 0 } },
    },
    script: { default: { actions: [{ write: { path: "calc.py", content: FIXED } }] } },
  });
  // The suite fails on the base commit until the story fixes calc.py: the base-suite precheck would refuse it.
  const result = await project.nax(["run", "-f", "demo", "--skip-precheck"]);
  const status = StatusFileSchema.parse(await project.readJson("nax/status.json"));
  const log = await readFile(join(project.dir, "nax/features/demo/runs", `${status.run.id}.jsonl`), "utf8");
  const verifies = log
    .trim()
    .split("\n")
    .map((line) => EventLineSchema.parse(JSON.parse(line)))
    .filter((line) => line.type === "verify:completed")
    .map((line) => line.data as { command: string; scope: string; passed: boolean });
  return { result, verifies, log };
}

describe.skipIf(PYTHON === "")("scoped verification with the real pytest (trap 33)", () => {
  test("python3 -m pytest -q --log-cli-level INFO tests/ keeps INFO and the story passes", async () => {
    const { result, verifies } = await runFixingCalc(`${PYTHON} -m pytest -q --log-cli-level INFO tests/`, {});
    expect(result.code).toBe(0);
    expect(verifies[0]).toMatchObject({
      scope: "scoped",
      command: `${PYTHON} -m pytest -q --log-cli-level INFO tests/test_calc.py`,
      passed: true,
    });
  });

  test("pytest -x tests/ never selects the failing legacy/test_calc.py outside tests/, and the story passes", async () => {
    const { result, verifies } = await runFixingCalc(`${PYTHON} -m pytest -x tests/`, {
      "legacy/test_calc.py": LEGACY_TEST,
    });
    expect(result.code).toBe(0);
    expect(verifies[0]).toMatchObject({ scope: "scoped", command: `${PYTHON} -m pytest -x tests/test_calc.py` });
    expect(verifies.every((verify) => verify.passed && !verify.command.includes("legacy"))).toBe(true);
  });

  test("a flag nax does not know before a word runs the full suite, and the run's log says why", async () => {
    const { result, verifies, log } = await runFixingCalc(`${PYTHON} -m pytest -q --my-plugin-flag tests`, {
      "conftest.py": 'def pytest_addoption(parser):\n    parser.addoption("--my-plugin-flag", action="store_true")\n',
    });
    expect(result.code).toBe(0);
    expect(verifies[0]).toMatchObject({ scope: "full", command: `${PYTHON} -m pytest -q --my-plugin-flag tests` });
    expect(log).toContain(
      'cannot tell whether \\"tests\\" is the value of \\"--my-plugin-flag\\", which is a flag nax does not know',
    );
  });
});
