/**
 * The test runner against real children: `bun test` on tiny generated
 * projects, an environment probe, and a timeout, all through the real spawn
 * helper (`createSys().spawn`).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSys } from "../../../src/system/sys";
import { qualityCommandEnv } from "../../../src/verification/run-shell";
import { quoteShellArg } from "../../../src/verification/shell-words";
import { createTestRunner } from "../../../src/verification/test-runner";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "nax-test-runner-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

// The bun running this suite: the child's PATH may not have one.
const BUN_TEST = `${quoteShellArg(process.execPath)} test`;

function runner(env: Record<string, string | undefined> = process.env) {
  const sys = createSys({ naxHome: join(tmpdir(), "nax-unused-home"), env });
  return createTestRunner({ spawn: sys.spawn, env });
}

describe("test runner with real children", () => {
  test("a passing bun test project passes with its real counts", async () => {
    const cwd = await project({
      "sum.test.ts": `import { expect, test } from "bun:test";\ntest("adds", () => expect(1 + 1).toBe(2));\ntest("subtracts", () => expect(2 - 1).toBe(1));\n`,
    });
    const result = await runner().run({ cwd, command: BUN_TEST, scope: "full", timeoutMs: 30_000 });
    expect(result).toMatchObject({ passed: true, parser: "bun", passedCount: 2, failedCount: 0, exitCode: 0 });
  });

  test("a failing bun test project fails and names the failing test", async () => {
    const cwd = await project({
      "sum.test.ts": `import { expect, test } from "bun:test";\ntest("adds", () => expect(1 + 1).toBe(2));\ntest("adds wrongly", () => expect(1 + 1).toBe(3));\n`,
    });
    const result = await runner().run({ cwd, command: BUN_TEST, scope: "full", timeoutMs: 30_000 });
    expect(result).toMatchObject({ passed: false, parser: "bun", passedCount: 1, failedCount: 1 });
    expect(result.failures).toEqual([
      {
        name: "adds wrongly",
        file: "sum.test.ts",
        message: "error: expect(received).toBe(expected)\nExpected: 3\nReceived: 2",
      },
    ]);
    expect(result.summary).toContain("- adds wrongly (sum.test.ts)");
  });

  test("a child given qualityCommandEnv sees neither secret-named nor stripped variables, and does see the others", async () => {
    const cwd = await project({});
    const env = qualityCommandEnv(
      { ...process.env, NAX_PROBE_SECRET: "s3cret-value", NAX_PROBE_STRIPPED: "gone", NAX_PROBE_KEPT: "kept" },
      { keep: [], strip: ["NAX_PROBE_STRIPPED"], secretNames: [] },
    );
    const command = `echo "secret=\${NAX_PROBE_SECRET-absent} stripped=\${NAX_PROBE_STRIPPED-absent} kept=\${NAX_PROBE_KEPT-absent}"`;
    const result = await runner(env).run({ cwd, command, scope: "full" });
    expect(result.passed).toBe(true);
    expect(result.summary).toContain("secret=absent stripped=absent kept=kept");
  });

  test("a command that outlives its timeout is stopped and fails", async () => {
    const cwd = await project({});
    const result = await runner().run({ cwd, command: "sleep 30", scope: "full", timeoutMs: 200 });
    expect(result.passed).toBe(false);
    expect(result.termination).toBe("timeout");
    expect(result.durationMs).toBeLessThan(10_000);
  });
});
