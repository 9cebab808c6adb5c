import { describe, expect, test } from "bun:test";
import { createRedactor } from "../../../src/system/secrets";
import type { SpawnResult } from "../../../src/system/spawn";
import { createTestRunner } from "../../../src/verification/test-runner";
import { createFakeSpawner, exited } from "./fake-spawner";
import { fixture } from "./parsers/fixtures";

const captured = { stdout: "", stderr: "", stdoutTruncated: false, stderrTruncated: false, durationMs: 9, pid: 4242 };

async function runWith(result: SpawnResult, command = "bun test") {
  const fake = createFakeSpawner([result]);
  const runner = createTestRunner({ spawn: fake.spawn, env: { PATH: "/usr/bin" } });
  return { result: await runner.run({ cwd: "/repo", command, scope: "full", timeoutMs: 60_000 }), fake };
}

describe("test runner decision rule", () => {
  test("exit 0 with failing tests in the output is a failure, not a pass (trap 22: verification must fail closed)", async () => {
    const { result } = await runWith(exited(0, "", fixture("bun-fail.txt")));
    expect(result.passed).toBe(false);
    expect(result.failedCount).toBe(4);
    expect(result.summary).toContain("exited 0 but its output reports 4 failing test(s)");
  });

  test("exit 1 over output saying 0 fail is a failure", async () => {
    const { result } = await runWith(exited(1, "", fixture("bun-pass.txt")));
    expect(result.passed).toBe(false);
    expect(result.failedCount).toBe(0);
    expect(result.exitCode).toBe(1);
  });

  test("a runner killed by a signal is a failure even when its partial output looks clean", async () => {
    const { result } = await runWith(exited(0, "", fixture("bun-pass.txt"), "SIGSEGV"));
    expect(result.passed).toBe(false);
    expect(result.summary).toContain("killed by SIGSEGV");
  });

  test("a timeout is a failure", async () => {
    const { result } = await runWith({ kind: "timeout", reason: "wall", exitCode: null, ...captured });
    expect(result.passed).toBe(false);
    expect(result.termination).toBe("timeout");
    expect(result.summary).toContain("timed out after 60 s");
  });

  test("an abort is a failure", async () => {
    const { result } = await runWith({ kind: "aborted", exitCode: 0, ...captured, stderr: fixture("bun-pass.txt") });
    expect(result.passed).toBe(false);
    expect(result.termination).toBe("aborted");
  });

  test("a command that cannot be started is a failure", async () => {
    const { result } = await runWith({ kind: "not-found", command: "sh", message: "sh: not found" });
    expect(result.passed).toBe(false);
    expect(result.termination).toBe("not-found");
    expect(result.durationMs).toBe(0);
  });

  test("exit 0 from a recognised runner whose output has no summary is a failure", async () => {
    const { result } = await runWith(exited(0, "", "bun test v1.4.5\nsomething odd happened\n"));
    expect(result.parser).toBe("bun");
    expect(result.passed).toBe(false);
    expect(result.summary).toContain("no summary this parser recognises");
  });

  test("an unknown runner that exits 0 passes on its exit code", async () => {
    const { result } = await runWith(exited(0, "checked 12 things\n"), "make check");
    expect(result.passed).toBe(true);
    expect(result.parser).toBe("exit-code");
  });

  test("an unknown runner that exits 1 fails", async () => {
    const { result } = await runWith(exited(1, "3 things broke\n"), "make check");
    expect(result.passed).toBe(false);
  });

  test("a recognised passing run passes with its counts", async () => {
    const { result } = await runWith(exited(0, "", fixture("jest-pass.txt")), "npx jest --ci");
    expect(result).toMatchObject({ passed: true, parser: "jest", passedCount: 4, failedCount: 0, scope: "full" });
  });
});

describe("test runner invocation and summary", () => {
  test("runs the configured command with sh -c, in the given folder, with exactly the environment it was built with", async () => {
    const fake = createFakeSpawner([exited(0, "", fixture("bun-pass.txt"))]);
    const runner = createTestRunner({ spawn: fake.spawn, env: { PATH: "/usr/bin" } });
    await runner.run({ cwd: "/repo", command: "bun test --bail", scope: "scoped" });
    expect(fake.calls[0]?.cmd).toEqual(["sh", "-c", "bun test --bail"]);
    expect(fake.calls[0]?.cwd).toBe("/repo");
    expect(fake.calls[0]?.env).toEqual({ PATH: "/usr/bin" });
  });

  test("lists the failing tests before the output tail and stays within 4 KB", async () => {
    const noise = Array.from({ length: 2000 }, (_, index) => `log line ${index}`).join("\n");
    const { result } = await runWith(exited(1, noise, fixture("jest-fail.txt")), "npx jest");
    expect(result.summary.length).toBeLessThanOrEqual(4096);
    const failing = result.summary.indexOf("Failing tests:");
    const tail = result.summary.indexOf("--- output (tail) ---");
    expect(failing).toBeGreaterThanOrEqual(0);
    expect(tail).toBeGreaterThan(failing);
    expect(result.summary).toContain("- math > multiplies two numbers (test/math.test.js)");
    expect(result.summary).toContain("Ran all test suites.");
  });
});

describe("test runner redaction (trap 30)", () => {
  test("the output is redacted before the summary caps it, so no fragment of a secret survives a cut", async () => {
    const secret = "AKIAREDACTBEFORECAP0123456789";
    // Secrets at every offset: whatever byte the 4 KB tail starts at, an unredacted output would be cut inside one.
    const noise = Array.from({ length: 400 }, (_, index) => `${"x".repeat(index % 29)}${secret}`).join("\n");
    const fake = createFakeSpawner([exited(1, noise, "")]);
    const redactor = createRedactor({ AWS_SECRET_ACCESS_KEY: secret });
    const runner = createTestRunner({ spawn: fake.spawn, env: { PATH: "/usr/bin" }, redactor });
    const result = await runner.run({ cwd: "/repo", command: "sh t.sh", scope: "full" });
    expect(result.summary).toContain("[redacted]");
    for (let start = 0; start + 8 <= secret.length; start += 1) {
      expect(result.summary).not.toContain(secret.slice(start, start + 8));
    }
  });
});
