/**
 * In-memory verification fakes for unit tests: a test runner and a reviewer
 * that return scripted results in order and record how they were called. A
 * call past the end of the script throws, so an unexpected run fails loudly.
 */
import type { CommandCheckResult, ReviewResult, TestFailure, TestRunResult } from "../../src/verification/types";

export interface FakeTestRunOptions {
  cwd: string;
  command: string;
  scope: "scoped" | "full";
  timeoutMs?: number;
  signal?: AbortSignal;
}

export function testResult(partial: Partial<TestRunResult> = {}): TestRunResult {
  const failures = partial.failures ?? [];
  const passed = partial.passed ?? failures.length === 0;
  return {
    passed,
    command: "bun test",
    scope: "full",
    exitCode: passed ? 0 : 1,
    termination: "exited",
    parser: "bun",
    passedCount: passed ? 3 : 1,
    failedCount: failures.length,
    failures,
    summary: passed ? "3 pass" : `${failures.length} fail`,
    durationMs: 50,
    ...partial,
  };
}

/** A failing run with these test names (in `test/<name>.test.ts`). */
export function failingTests(...names: string[]): TestRunResult {
  const failures: TestFailure[] = names.map((name) => ({
    name,
    file: `test/${name.split(" ")[0]}.test.ts`,
    message: `expected ${name} to pass`,
  }));
  return testResult({ passed: false, failures, failedCount: failures.length });
}

type TestStep = Partial<TestRunResult> | ((options: FakeTestRunOptions) => TestRunResult | Promise<TestRunResult>);

export interface FakeTestRunner {
  readonly calls: FakeTestRunOptions[];
  run(options: FakeTestRunOptions): Promise<TestRunResult>;
}

export function createFakeTestRunner(steps: TestStep[]): FakeTestRunner {
  const queue = [...steps];
  const calls: FakeTestRunOptions[] = [];
  return {
    calls,
    async run(options) {
      calls.push(options);
      const step = queue.shift();
      if (step === undefined) throw new Error(`fake test runner: no scripted result for run #${calls.length}`);
      if (typeof step === "function") return step(options);
      return testResult({ command: options.command, scope: options.scope, ...step });
    },
  };
}

export function checkResult(name: "lint" | "typecheck", passed: boolean, output = ""): CommandCheckResult {
  return {
    name,
    command: name === "lint" ? "biome check ." : "tsc --noEmit",
    passed,
    exitCode: passed ? 0 : 1,
    termination: "exited",
    output: output || (passed ? "" : `${name}: 1 problem in src/a.ts`),
    durationMs: 20,
  };
}

export function reviewResult(checks: { lint?: boolean; typecheck?: boolean }): ReviewResult {
  const list: CommandCheckResult[] = [];
  if (checks.lint !== undefined) list.push(checkResult("lint", checks.lint));
  if (checks.typecheck !== undefined) list.push(checkResult("typecheck", checks.typecheck));
  return { passed: list.every((c) => c.passed), checks: list };
}

export interface FakeReviewer {
  readonly reviews: number;
  readonly fixRuns: Array<{ cwd: string; commands: Record<string, string | undefined> }>;
  review(options: { cwd: string }): Promise<ReviewResult>;
  runFixCommands(options: { cwd: string; commands: Record<string, string | undefined> }): Promise<unknown>;
}

export function createFakeReviewer(script: ReviewResult[], onFix?: () => void | Promise<void>): FakeReviewer {
  const queue = [...script];
  const fixRuns: FakeReviewer["fixRuns"] = [];
  let reviews = 0;
  return {
    get reviews() {
      return reviews;
    },
    fixRuns,
    async review() {
      reviews++;
      const next = queue.shift();
      if (next === undefined) throw new Error(`fake reviewer: no scripted result for review #${reviews}`);
      return next;
    },
    async runFixCommands(options) {
      fixRuns.push({ cwd: options.cwd, commands: { ...options.commands } });
      await onFix?.();
      return { ran: [] };
    },
  };
}
