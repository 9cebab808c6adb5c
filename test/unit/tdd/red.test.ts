import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createSys } from "../../../src/system/sys";
import { judgeRed, summariseRed } from "../../../src/tdd/red";
import { createTestRunner, tempReportFiles } from "../../../src/verification/test-runner";
import type { TestRunResult } from "../../../src/verification/types";

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

const sys = createSys();
const runner = createTestRunner({
  spawn: sys.spawn,
  env: { PATH: `${dirname(process.execPath)}:${process.env.PATH}`, HOME: tmpdir() },
  reports: tempReportFiles(sys.fs, tmpdir(), sys.uuid),
});

/** nax's own run of one file, as the RED gate makes it, with the report flags the real run adds. */
async function runFile(files: Record<string, string>, command: string): Promise<TestRunResult> {
  const dir = await mkdtemp(join(tmpdir(), "nax-red-"));
  roots.push(dir);
  for (const [path, text] of Object.entries(files)) await writeFile(join(dir, path), text);
  return runner.run({ cwd: dir, command, scope: "scoped", timeoutMs: 60_000 });
}

const BUN_HEAD = 'import { expect, test } from "bun:test";\n';

describe("RED judged from nax's own run of each new test file (bun)", () => {
  test("a test failing on an assertion, or calling behaviour that does not exist yet, is RED", async () => {
    const run = await runFile(
      {
        "mod.ts": "export const yes = 1;\n",
        "a.test.ts": `${BUN_HEAD}import * as m from "./mod";\ntest("missing", () => { expect((m as any).nope()).toBe(1); });\ntest("asserts", () => { expect(m.yes).toBe(2); });\n`,
      },
      "bun test ./a.test.ts",
    );
    const judged = judgeRed("a.test.ts", run);
    expect(judged.verdict).toBe("red");
    expect(judged.behavioural).toEqual(["missing", "asserts"]);
  });

  test("a test file with a syntax error is not RED", async () => {
    const run = await runFile(
      { "a.test.ts": `${BUN_HEAD}test("x", () => { expect(1).toBe( ; });\n` },
      "bun test ./a.test.ts",
    );
    const judged = judgeRed("a.test.ts", run);
    expect(judged.verdict).toBe("uncollectable");
    expect(judged.evidence).toContain("did not load");
  });

  test("a test file importing what does not exist is not RED", async () => {
    const run = await runFile(
      {
        "mod.ts": "export const yes = 1;\n",
        "a.test.ts": `${BUN_HEAD}import { nope } from "./mod";\ntest("x", () => { expect(nope()).toBe(1); });\n`,
      },
      "bun test ./a.test.ts",
    );
    expect(judgeRed("a.test.ts", run).verdict).toBe("uncollectable");
  });

  test("a test file whose tests already pass is not RED", async () => {
    const run = await runFile(
      { "a.test.ts": `${BUN_HEAD}test("x", () => { expect(1).toBe(1); });\n` },
      "bun test ./a.test.ts",
    );
    const judged = judgeRed("a.test.ts", run);
    expect(judged.verdict).toBe("already-passing");
    expect(summariseRed([judged])).toEqual({ red: false, evidence: `already-passing: ${judged.evidence}` });
  });
});

const hasPytest = spawnSync("python3", ["-m", "pytest", "--version"]).status === 0;

describe.skipIf(!hasPytest)("RED judged from nax's own run of each new test file (pytest)", () => {
  test("an assertion failure is RED; a syntax or import error is a collection error, not RED", async () => {
    const red = await runFile({ "test_a.py": "def test_x():\n    assert 1 == 2\n" }, "python3 -m pytest test_a.py");
    expect(judgeRed("test_a.py", red).verdict).toBe("red");
    const syntax = await runFile({ "test_a.py": "def test_x(:\n    assert 1\n" }, "python3 -m pytest test_a.py");
    expect(judgeRed("test_a.py", syntax).verdict).toBe("uncollectable");
    const missing = await runFile(
      { "test_a.py": "from nowhere import x\n\ndef test_x():\n    assert x\n" },
      "python3 -m pytest test_a.py",
    );
    expect(judgeRed("test_a.py", missing).verdict).toBe("uncollectable");
  });
});

describe("summariseRed", () => {
  test("no new test file at all is not RED", () => {
    expect(summariseRed([]).red).toBe(false);
  });
});
