/**
 * A temp project for the acceptance-test integration tests: two bun
 * modules with stubs (`add` and `mul` return 0), two stories with one
 * criterion each, the project's suite under `test/` (so it never runs the
 * acceptance folder), `acceptance.command` running one acceptance file, and
 * fake-agent sessions: the acceptance writer (matched by its prompt's title)
 * and one session per story (matched by `# Task: <id>`).
 */
import type { FakeClaudeAction, FakeClaudeSession } from "../fakes/fake-claude-script";
import { createTestProject, type TestProject } from "./project";

export const ADD_STUB = "export function add(a: number, b: number): number {\n  return 0;\n}\n";
export const MUL_STUB = "export function mul(a: number, b: number): number {\n  return 0;\n}\n";
export const ADD = "export function add(a: number, b: number): number {\n  return a + b;\n}\n";
export const MUL = "export function mul(a: number, b: number): number {\n  return a * b;\n}\n";

const test = (module: string, name: string, body: string) =>
  `import { expect, test } from "bun:test";\nimport { ${name} } from "../src/${module}";\n\ntest("${name} works", () => {\n  ${body}\n});\n`;
export const ADD_TEST = test("add", "add", "expect(add(1, 2)).toBe(3);");
export const MUL_TEST = test("mul", "mul", "expect(mul(2, 3)).toBe(6);");
/** Passes on the stub: not a RED test. */
export const MUL_ALREADY_PASSING = test("mul", "mul", "expect(mul(2, 0)).toBe(0);");
export const SYNTAX_ERROR =
  'import { expect, test } from "bun:test";\n\ntest("mul", () => {\n  expect(1).toBe( ;\n});\n';

export const ADD_FILE = "acceptance/US-001-AC-1.test.ts";
export const MUL_FILE = "acceptance/US-002-AC-1.test.ts";

export const write = (path: string, content: string): FakeClaudeAction => ({ write: { path, content } });

export const writer = (actions: FakeClaudeAction[], times?: number): FakeClaudeSession => ({
  name: "acceptance-writer",
  match: "# Acceptance tests for feature",
  actions,
  ...(times === undefined ? {} : { times }),
});
export const story = (id: string, actions: FakeClaudeAction[], times?: number): FakeClaudeSession => ({
  name: id,
  match: `# Task: ${id}`,
  actions,
  ...(times === undefined ? {} : { times }),
});

/** The honest sessions: RED tests of both criteria, then each story implements its module. */
export function honestSessions(): FakeClaudeSession[] {
  return [
    writer([write(ADD_FILE, ADD_TEST), write(MUL_FILE, MUL_TEST)]),
    story("US-001", [write("src/add.ts", ADD)]),
    story("US-002", [write("src/mul.ts", MUL)]),
  ];
}

const BASE_TEST =
  'import { expect, test } from "bun:test";\nimport { add } from "../src/add";\n\ntest("add exists", () => {\n  expect(typeof add).toBe("function");\n});\n';

export async function createAcceptanceProject(
  sessions: FakeClaudeSession[],
  options: { config?: Record<string, unknown> } = {},
): Promise<TestProject> {
  return createTestProject({
    stories: [
      {
        id: "US-001",
        title: "Add two numbers",
        description: "add(a, b) returns their sum",
        acceptanceCriteria: ["add(1, 2) is 3"],
        routing: { complexity: "simple", testStrategy: "test-after" },
      },
      {
        id: "US-002",
        title: "Multiply two numbers",
        description: "mul(a, b) returns their product",
        acceptanceCriteria: ["mul(2, 3) is 6"],
        dependencies: ["US-001"],
        routing: { complexity: "simple", testStrategy: "test-after" },
      },
    ],
    files: { "src/add.ts": ADD_STUB, "src/mul.ts": MUL_STUB, "test/base.test.ts": BASE_TEST },
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
      quality: { commands: { test: "bun test test/" } },
      acceptance: { enabled: true, command: "bun test {{files}}" },
      ...options.config,
    },
    script: { sessions },
  });
}
