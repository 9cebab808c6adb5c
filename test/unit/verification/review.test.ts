import { afterEach, describe, expect, test } from "bun:test";
import { createSys } from "../../../src/system/sys";
import { createReviewer } from "../../../src/verification/review";
import { createFakeSpawner, exited } from "./fake-spawner";
import { createTempTrees } from "./temp-tree";

const trees = createTempTrees("nax-review-");
afterEach(() => trees.cleanup());

describe("review", () => {
  test("skips checks that are not configured: they are absent, not failed", async () => {
    const fake = createFakeSpawner([exited(0, "clean\n")]);
    const reviewer = createReviewer({ spawn: fake.spawn, env: {} });
    const result = await reviewer.review({
      cwd: "/repo",
      commands: { typecheck: "tsc --noEmit" },
      requireLint: true,
      requireTypecheck: true,
    });
    expect(fake.calls.map((call) => call.cmd)).toEqual([["sh", "-c", "tsc --noEmit"]]);
    expect(result.passed).toBe(true);
    expect(result.checks.map((check) => check.name)).toEqual(["typecheck"]);
  });

  test("does not run a configured check that is not required", async () => {
    const fake = createFakeSpawner([]);
    const reviewer = createReviewer({ spawn: fake.spawn, env: {} });
    const result = await reviewer.review({
      cwd: "/repo",
      commands: { lint: "biome check ." },
      requireLint: false,
      requireTypecheck: true,
    });
    expect(fake.calls).toEqual([]);
    expect(result).toEqual({ passed: true, checks: [] });
  });

  test("reports a failing lint with its output, with a real shell", async () => {
    const cwd = await trees.make({ "bad.txt": "x\n" });
    const sys = createSys({ naxHome: "/nonexistent-nax-home" });
    const reviewer = createReviewer({ spawn: sys.spawn, env: process.env });
    const lint = `echo "bad.txt:1 unexpected x" >&2; exit 3`;
    const result = await reviewer.review({
      cwd,
      commands: { lint, typecheck: "true" },
      requireLint: true,
      requireTypecheck: true,
      timeoutMs: 10_000,
    });
    expect(result.passed).toBe(false);
    expect(result.checks).toHaveLength(2);
    expect(result.checks[0]).toMatchObject({ name: "lint", passed: false, exitCode: 3, termination: "exited" });
    expect(result.checks[0]?.output).toContain("bad.txt:1 unexpected x");
    expect(result.checks[1]).toMatchObject({ name: "typecheck", passed: true, exitCode: 0 });
  });

  test("a check that times out fails", async () => {
    const fake = createFakeSpawner([
      {
        kind: "timeout",
        reason: "wall",
        exitCode: null,
        stdout: "",
        stderr: "",
        stdoutTruncated: false,
        stderrTruncated: false,
        durationMs: 1000,
        pid: 7,
      },
    ]);
    const reviewer = createReviewer({ spawn: fake.spawn, env: {} });
    const result = await reviewer.review({
      cwd: "/r",
      commands: { lint: "eslint ." },
      requireLint: true,
      requireTypecheck: false,
      timeoutMs: 1000,
    });
    expect(result.passed).toBe(false);
    expect(result.checks[0]?.output).toContain("Timed out after 1 s");
  });

  test("caps long output for prompts", async () => {
    const fake = createFakeSpawner([exited(1, "e".repeat(50_000))]);
    const reviewer = createReviewer({ spawn: fake.spawn, env: {} });
    const result = await reviewer.review({
      cwd: "/r",
      commands: { lint: "eslint ." },
      requireLint: true,
      requireTypecheck: false,
    });
    expect(result.checks[0]?.output.length).toBeLessThanOrEqual(4096);
    expect(result.checks[0]?.output).toContain("characters omitted");
  });
});

describe("fix commands", () => {
  test("runs lintFix then formatFix and reports whether each exited 0", async () => {
    const fake = createFakeSpawner([exited(1, "could not fix 2 problems\n"), exited(0, "")]);
    const reviewer = createReviewer({ spawn: fake.spawn, env: { PATH: "/bin" } });
    const { ran } = await reviewer.runFixCommands({
      cwd: "/repo",
      commands: { formatFix: "prettier -w .", lintFix: "eslint --fix ." },
    });
    expect(fake.calls.map((call) => call.cmd[2])).toEqual(["eslint --fix .", "prettier -w ."]);
    expect(fake.calls[0]?.env).toEqual({ PATH: "/bin" });
    expect(ran.map((fix) => [fix.name, fix.ok, fix.exitCode])).toEqual([
      ["lintFix", false, 1],
      ["formatFix", true, 0],
    ]);
  });

  test("runs nothing when no fix command is configured", async () => {
    const fake = createFakeSpawner([]);
    const { ran } = await createReviewer({ spawn: fake.spawn, env: {} }).runFixCommands({
      cwd: "/r",
      commands: { lint: "eslint ." },
    });
    expect(ran).toEqual([]);
    expect(fake.calls).toEqual([]);
  });
});
