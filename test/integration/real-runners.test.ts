/**
 * The verification path against the REAL runners users have (vitest, jest,
 * mocha, node --test, pytest, bun) on a temp project whose failing tests sit
 * in a folder and fail with multi-line messages (assert's `'AB' !== 'ab'`
 * after a blank line, a line diff). Each run must bring the failing test's
 * name, its file with folders and its whole message into the TestRunResult
 * and the rectify prompt; runners nax asks for a report must leave none
 * behind. One run prints ~20 MB between the failure and the end.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildRectifyPrompt } from "../../src/prompt/repair-prompt";
import { createSys } from "../../src/system/sys";
import { quoteShellArg } from "../../src/verification/shell-words";
import { createTestRunner, tempReportFiles } from "../../src/verification/test-runner";
import type { TestRunResult } from "../../src/verification/types";
import { makeStory } from "../unit/pipeline/helpers";

const REPO = join(import.meta.dir, "../..");
const BIN = join(REPO, "node_modules/.bin");
const BUN = quoteShellArg(process.execPath);

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

async function project(files: Record<string, string>): Promise<string> {
  const dir = await tempDir("nax-real-runner-");
  await symlink(join(REPO, "node_modules"), join(dir, "node_modules"));
  await writeFile(join(dir, "package.json"), '{ "name": "shop", "version": "1.0.0" }\n');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

const GLOBALS_TEST = `const assert = require("node:assert");
describe("strings", () => {
  it("upper-cases", () => {
    assert.strictEqual("ab".toUpperCase(), "AB");
  });
  it("lower-cases", () => {
    assert.strictEqual("AB", "ab");
  });
  it("joins lines", () => {
    assert.deepStrictEqual(["one", "two", "three"].join("\\n"), "one\\ntwo\\nTHREE");
  });
});
`;
const NODE_TEST = `const { describe, it } = require("node:test");\n${GLOBALS_TEST}`;

/** Runs the command with reports written to a folder of our own, which must be empty afterwards. */
async function verify(cwd: string, command: string): Promise<{ result: TestRunResult; leftover: string[] }> {
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined };
  const sys = createSys({ naxHome: join(cwd, ".nax-home-unused"), env });
  const reportDir = await tempDir("nax-reports-");
  const ids = (function* () {
    for (let id = 1; ; id += 1) yield String(id);
  })();
  const runner = createTestRunner({
    spawn: sys.spawn,
    env,
    reports: tempReportFiles(sys.fs, reportDir, () => ids.next().value as string),
  });
  const result = await runner.run({ cwd, command, scope: "full", timeoutMs: 120_000 });
  return { result, leftover: await readdir(reportDir) };
}

function expectFailure(result: TestRunResult, name: string, file: string, message: string): void {
  const failure = result.failures.find((f) => f.name.endsWith(name));
  expect(failure, `${name} in ${JSON.stringify(result.failures)}`).toBeDefined();
  expect(failure?.file).toBe(file);
  expect(failure?.message).toContain(message);
  const prompt = buildRectifyPrompt({ story: makeStory(), verify: result, round: 1 });
  expect(prompt).toContain(`${failure?.name} (${file})`);
  expect(prompt).toContain(message);
}

const hasPytest = spawnSync("python3", ["-m", "pytest", "--version"]).status === 0;

describe("verification with the real runners", () => {
  test("vitest: the json report brings name, folder and the message past its blank line", async () => {
    const cwd = await project({ "test/unit/strs.test.js": GLOBALS_TEST });
    const { result, leftover } = await verify(cwd, `${BIN}/vitest run --globals`);
    expect(result).toMatchObject({ passed: false, parser: "vitest", source: "report", passedCount: 1, failedCount: 2 });
    expectFailure(
      result,
      "lower-cases",
      "test/unit/strs.test.js",
      "Expected values to be strictly equal:\n'AB' !== 'ab'",
    );
    expectFailure(result, "joins lines", "test/unit/strs.test.js", "- 'one\\ntwo\\nTHREE'");
    expect(result.summary).toContain("Failed Tests 2"); // vitest's own console report is still there
    expect(leftover).toEqual([]);
  }, 120_000);

  test("jest: the json report brings the diff while jest's console report stays in the output", async () => {
    const cwd = await project({ "test/unit/strs.test.js": GLOBALS_TEST });
    const { result, leftover } = await verify(cwd, `${BIN}/jest`);
    expect(result).toMatchObject({ passed: false, parser: "jest", source: "report", passedCount: 1, failedCount: 2 });
    expectFailure(result, "lower-cases", "test/unit/strs.test.js", 'Received:\n  "AB"');
    expectFailure(result, "joins lines", "test/unit/strs.test.js", "- THREE\n+ three");
    expect(result.summary).toContain("Tests:       2 failed, 1 passed, 3 total");
    expect(leftover).toEqual([]);
  }, 120_000);

  test("mocha: its spec output gives the suite, the file from the stack and the whole message", async () => {
    const cwd = await project({ "test/unit/strs.test.js": GLOBALS_TEST });
    const { result } = await verify(cwd, `${BIN}/mocha 'test/**/*.test.js'`);
    expect(result).toMatchObject({ passed: false, parser: "mocha", source: "output", passedCount: 1, failedCount: 2 });
    expectFailure(result, "lower-cases", "test/unit/strs.test.js", "'AB' !== 'ab'");
    expectFailure(result, "joins lines", "test/unit/strs.test.js", "- 'one\\ntwo\\nTHREE'");
  }, 120_000);

  test("node --test: its default reporter under nax is read, not '0 failing, 0 passing'", async () => {
    const cwd = await project({ "test/unit/strs.test.js": NODE_TEST });
    const { result } = await verify(cwd, "node --test");
    expect(result).toMatchObject({ passed: false, parser: "node", passedCount: 1, failedCount: 2 });
    expectFailure(result, "lower-cases", "test/unit/strs.test.js", "'AB' !== 'ab'");
    const prompt = buildRectifyPrompt({ story: makeStory(), verify: result, round: 1 });
    expect(prompt).toContain("2 failing, 1 passing");
  }, 120_000);

  test.skipIf(!hasPytest)(
    "pytest: the junit report names Class::test in its folder with the assertion's diff",
    async () => {
      const cwd = await project({
        "tests/unit/test_strs.py": `class TestStrings:
    def test_upper(self):
        assert "ab".upper() == "AB"

    def test_lower(self):
        assert "one\\ntwo\\nthree" == "one\\ntwo\\nTHREE"
`,
      });
      const { result, leftover } = await verify(cwd, "python3 -m pytest -q -p no:cacheprovider tests/");
      expect(result).toMatchObject({
        passed: false,
        parser: "pytest",
        source: "report",
        passedCount: 1,
        failedCount: 1,
      });
      expectFailure(result, "TestStrings::test_lower", "tests/unit/test_strs.py", "- THREE\n  + three");
      expect(leftover).toEqual([]);
    },
    120_000,
  );

  test("bun: a failure printed before ~20 MB of output still reaches the result and the prompt", async () => {
    const cwd = await project({
      "test/unit/noisy.test.ts": `import { expect, test } from "bun:test";
test("lower-cases", () => {
  expect("AB").toBe("ab");
});
test("prints a lot", () => {
  const line = "x".repeat(1023) + "\\n";
  const chunk = line.repeat(1024);
  // stderr: where bun writes its own report, so the noise and the failure share one capped stream.
  for (let i = 0; i < 20; i += 1) process.stderr.write(chunk);
});
`,
    });
    // Without reports: the text parser must find the failure that only the failure-line keeper still holds.
    const env = { ...process.env };
    const sys = createSys({ naxHome: join(cwd, ".nax-home-unused"), env });
    const result = await createTestRunner({ spawn: sys.spawn, env }).run({
      cwd,
      command: `${BUN} test`,
      scope: "full",
      timeoutMs: 120_000,
    });
    expect(result).toMatchObject({ passed: false, parser: "bun", passedCount: 1, failedCount: 1 });
    expectFailure(result, "lower-cases", "test/unit/noisy.test.ts", 'Expected: "ab"\nReceived: "AB"');
    // And with its junit report, the same failure comes from the report.
    const reported = await verify(cwd, `${BUN} test`);
    expect(reported.result).toMatchObject({ passed: false, source: "report", failedCount: 1 });
    expectFailure(reported.result, "lower-cases", "test/unit/noisy.test.ts", 'Received: "AB"');
  }, 120_000);

  test("go (an emulator script: go is not installed): a --- FAIL before 20 MB of logs keeps name, folder and message", async () => {
    // Prints what `go test -v ./...` prints for a failing test, then 20 MB of test logs, then the package line.
    const cwd = await project({
      "go.mod": "module example.com/shop\n\ngo 1.22\n",
      "bin/go": `#!/bin/sh
printf '=== RUN   TestLower\\n    strs_test.go:12: Lower("AB") = "AB", want "ab"\\n--- FAIL: TestLower (0.00s)\\n'
yes 'log: still working on the next step of the test' | head -n 400000
printf 'FAIL\\nFAIL\\texample.com/shop/pkg/strs\\t0.004s\\nFAIL\\n'
exit 1
`,
    });
    await chmod(join(cwd, "bin/go"), 0o755);
    const env = { ...process.env };
    const sys = createSys({ naxHome: join(cwd, ".nax-home-unused"), env });
    const runner = createTestRunner({ spawn: sys.spawn, env, readText: (path) => sys.fs.readText(path) });
    const result = await runner.run({ cwd, command: "./bin/go test -v ./...", scope: "full", timeoutMs: 120_000 });
    expect(result).toMatchObject({ passed: false, parser: "go", failedCount: 1 });
    expectFailure(result, "TestLower", "pkg/strs/strs_test.go", 'Lower("AB") = "AB", want "ab"');
  }, 120_000);
});
