/** A test command that cannot run at all is told apart from one whose tests fail. */
import { describe, expect, test } from "bun:test";
import { unusableTestCommand } from "../../../src/verification/unusable-command";
import { testResult } from "../../fakes/fake-test-runner";

describe("unusableTestCommand", () => {
  test("exit 127 is a command that is not found, quoting the shell's words", () => {
    const result = testResult({
      passed: false,
      command: "vitest run",
      exitCode: 127,
      summary: "sh: 1: vitest: not found\n",
    });
    expect(unusableTestCommand(result)).toBe(
      "the test command cannot run: `vitest run` (not found, exit 127): sh: 1: vitest: not found",
    );
  });

  test("exit 126 is a command that cannot execute, and a missing shell is no shell", () => {
    expect(unusableTestCommand(testResult({ passed: false, command: "./t.sh", exitCode: 126 }))).toContain(
      "(cannot execute, exit 126)",
    );
    const noShell = testResult({ passed: false, exitCode: null, termination: "not-found" });
    expect(unusableTestCommand(noShell)).toContain("(no shell to run it)");
  });

  test("failing tests, a timeout and a pass are not an unusable command", () => {
    expect(unusableTestCommand(testResult({ passed: false, exitCode: 1 }))).toBeUndefined();
    expect(unusableTestCommand(testResult({ passed: false, exitCode: null, termination: "timeout" }))).toBeUndefined();
    expect(unusableTestCommand(testResult({ passed: true }))).toBeUndefined();
  });
});
