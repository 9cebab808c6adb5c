/**
 * A temp project for the TDD strategies' integration tests: a tiny bun
 * module with a stub (`add` returns 0), a real `bun test` command (so RED and
 * GREEN are nax's own runs of real test files), one story pinned to a TDD
 * strategy, a two-tier ladder with one attempt each and no rectification, and
 * fake-agent sessions matched by their `Role:` line.
 */
import type { FakeClaudeSession } from "../fakes/fake-claude-script";
import { createTestProject, type TestProject } from "./project";

export const STUB = "export function add(a: number, b: number): number {\n  return 0;\n}\n";
export const IMPLEMENTED = "export function add(a: number, b: number): number {\n  return a + b;\n}\n";
export const RED_TEST =
  'import { expect, test } from "bun:test";\nimport { add } from "../src/math";\n\ntest("adds two numbers", () => {\n  expect(add(1, 2)).toBe(3);\n});\n';
export const PASSING_TEST =
  'import { expect, test } from "bun:test";\nimport { add } from "../src/math";\n\ntest("adds two numbers", () => {\n  expect(add(1, 2)).toBe(0);\n});\n';
export const SYNTAX_ERROR_TEST =
  'import { expect, test } from "bun:test";\n\ntest("adds", () => {\n  expect(1).toBe( ;\n});\n';

export const BASE_TEST =
  'import { expect, test } from "bun:test";\nimport { add } from "../src/math";\n\ntest("add exists", () => {\n  expect(typeof add).toBe("function");\n});\n';

export const write = (path: string, content: string) => ({ write: { path, content } });
export const verdict = (body: string) => `Reviewed.\n\`\`\`nax-verdict\n${body}\n\`\`\`\n`;

export const testWriter = (actions: FakeClaudeSession["actions"], times?: number): FakeClaudeSession => ({
  name: "test-writer",
  match: "Role: test-writer",
  actions,
  ...(times === undefined ? {} : { times }),
});
export const implementer = (
  actions: FakeClaudeSession["actions"],
  result?: string,
  times?: number,
): FakeClaudeSession => ({
  name: "implementer",
  match: "Role: implementer",
  actions,
  ...(result === undefined ? {} : { result: { result } }),
  ...(times === undefined ? {} : { times }),
});
export const verifier = (result: string, actions: FakeClaudeSession["actions"] = []): FakeClaudeSession => ({
  name: "verifier",
  match: "Role: verifier",
  actions,
  result: { result },
});

/** The honest three sessions: RED tests, the implementation, a passing verdict. */
export function honestSessions(): FakeClaudeSession[] {
  return [
    testWriter([write("test/math.test.ts", RED_TEST)]),
    implementer([write("src/math.ts", IMPLEMENTED)]),
    verifier(verdict('{"verdict": "pass"}')),
  ];
}

export async function createTddProject(
  sessions: FakeClaudeSession[],
  options: { strategy?: string; config?: Record<string, unknown> } = {},
): Promise<TestProject> {
  return createTestProject({
    stories: [
      {
        id: "US-001",
        title: "Add two numbers",
        description: "add(a, b) returns their sum",
        acceptanceCriteria: ["add(1, 2) is 3"],
        routing: { complexity: "simple", testStrategy: options.strategy ?? "three-session-tdd" },
      },
    ],
    // The suite must pass on the base commit (precheck): one test of what already exists.
    files: { "src/math.ts": STUB, "test/base.test.ts": BASE_TEST },
    config: {
      autoMode: {
        escalation: {
          tierOrder: [
            { tier: "fast", attempts: 1 },
            { tier: "balanced", attempts: 1 },
          ],
        },
      },
      execution: { rectification: { maxRetries: 0 } },
      quality: { commands: { test: "bun test" } },
      ...options.config,
    },
    script: { sessions },
  });
}
