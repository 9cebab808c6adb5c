/**
 * The test-integrity guards against the real loop: the fake agent cheats one
 * way per test, and each cheat is caught with the `test-integrity` category
 * and the guard's evidence, while nothing of it reaches the user's checkout
 * or the integration branch.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FakeClaudeAction } from "../fakes/fake-claude-script";
import { createTestProject, type TestProject } from "../helpers/project";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const MATH_TEST = [
  'import { expect, test } from "bun:test";',
  'import { add, sub } from "../src/math";',
  'test("adds", () => {',
  "  expect(add(1, 2)).toBe(3);",
  "});",
  'test("subtracts", () => {',
  "  expect(sub(3, 1)).toBe(2);",
  "});",
  "",
].join("\n");

type Story = { status: string; priorFailures?: Array<{ category?: string; reason?: string }> };

/** One story whose agent makes a real source change plus the cheat; one attempt, so the first failure is final. */
async function cheat(actions: FakeClaudeAction[]) {
  project = await createTestProject({
    stories: [{ id: "US-001", title: "Multiply" }],
    files: {
      "src/math.ts":
        "export const add = (a: number, b: number) => a + b;\nexport const sub = (a: number, b: number) => a - b;\n",
      "test/math.test.ts": MATH_TEST,
    },
    config: {
      quality: { commands: { test: "true" } },
      autoMode: { escalation: { tierOrder: [{ tier: "fast", attempts: 1 }] } },
    },
    script: {
      default: {
        actions: [
          { append: { path: "src/math.ts", content: "export const mul = (a: number, b: number) => a * b;\n" } },
          ...actions,
        ],
      },
    },
  });
  const result = await project.nax(["run", "-f", "demo", "--skip-precheck"]);
  const prd = await project.readJson<{ userStories: Story[] }>("nax/features/demo/prd.json");
  const story = prd.userStories[0] as Story;
  return { result, story, failure: story.priorFailures?.[0] };
}

/** Nothing of the attempt was merged: the user's test file and the integration branch's are the original. */
async function expectNothingMerged(p: TestProject) {
  expect(await readFile(join(p.dir, "test/math.test.ts"), "utf8")).toBe(MATH_TEST);
  expect(await readFile(join(p.dir, "src/math.ts"), "utf8")).not.toContain("mul");
  const branches = p.git(["branch", "--list", "nax/demo/integration"]);
  if (branches.trim() !== "")
    expect(p.git(["show", "nax/demo/integration:test/math.test.ts"])).toBe(MATH_TEST.trimEnd());
}

describe("the test-integrity guards catch a cheating attempt (docs/traps.md)", () => {
  test("an attempt that adds .skip to a test fails with test-integrity, naming the file and line", async () => {
    const { result, story, failure } = await cheat([
      { run: 'sed -i \'s/test("subtracts"/test.skip("subtracts"/\' test/math.test.ts' },
    ]);
    expect(result.code).toBe(1);
    expect(story.status).toBe("failed");
    expect(failure?.category).toBe("test-integrity");
    expect(failure?.reason).toContain("skippedTests: test/math.test.ts:6: added .skip");
    await expectNothingMerged(project as TestProject);
  });

  test("an attempt that deletes a test file fails with test-integrity and deletedTests", async () => {
    const { story, failure } = await cheat([{ run: "rm test/math.test.ts" }]);
    expect(story.status).toBe("failed");
    expect(failure?.category).toBe("test-integrity");
    expect(failure?.reason).toContain("deletedTests: test/math.test.ts: test file deleted");
    await expectNothingMerged(project as TestProject);
  });

  test("an attempt that drops a test fails with test-integrity and testCount", async () => {
    const oneTest = MATH_TEST.split("\n").slice(0, 5).join("\n");
    const { story, failure } = await cheat([{ write: { path: "test/math.test.ts", content: `${oneTest}\n` } }]);
    expect(story.status).toBe("failed");
    expect(failure?.category).toBe("test-integrity");
    expect(failure?.reason).toContain("testCount: test/math.test.ts: tests declared: 2 at the base, 1 now");
    await expectNothingMerged(project as TestProject);
  });

  test("an attempt that loosens an assertion fails with test-integrity and weakenedAssertions", async () => {
    const { story, failure } = await cheat([{ run: "sed -i 's/toBe(3)/toBeDefined()/' test/math.test.ts" }]);
    expect(story.status).toBe("failed");
    expect(failure?.category).toBe("test-integrity");
    expect(failure?.reason).toContain("weakenedAssertions: test/math.test.ts:4: assertion on add(1, 2) loosened");
    await expectNothingMerged(project as TestProject);
  });

  test("an honest attempt that adds a test passes and is merged, its guards recorded in the event log", async () => {
    const { story } = await cheat([
      { append: { path: "test/math.test.ts", content: 'test("multiplies", () => {\n  expect(2 * 3).toBe(6);\n});\n' } },
    ]);
    expect(story.status).toBe("passed");
    expect(await readFile(join((project as TestProject).dir, "test/math.test.ts"), "utf8")).toContain("multiplies");
  });

  test("with skippedTests turned off an added .skip is not reported by it, and testCount still sees the skipped test go", async () => {
    project = undefined;
    const p = await createTestProject({
      stories: [{ id: "US-001", title: "Multiply" }],
      files: { "src/math.ts": "export const x = 1;\n", "test/math.test.ts": MATH_TEST },
      config: {
        quality: { commands: { test: "true" }, guards: { skippedTests: false } },
        autoMode: { escalation: { tierOrder: [{ tier: "fast", attempts: 1 }] } },
      },
      script: {
        default: {
          actions: [
            { append: { path: "src/math.ts", content: "export const y = 2;\n" } },
            { run: 'sed -i \'s/test("subtracts"/test.skip("subtracts"/\' test/math.test.ts' },
          ],
        },
      },
    });
    project = p;
    await p.nax(["run", "-f", "demo", "--skip-precheck"]);
    const prd = await p.readJson<{ userStories: Story[] }>("nax/features/demo/prd.json");
    const failure = prd.userStories[0]?.priorFailures?.[0];
    expect(failure?.category).toBe("test-integrity");
    expect(failure?.reason).toContain("testCount: test/math.test.ts: tests declared: 2 at the base, 1 now");
    expect(failure?.reason).not.toContain("skippedTests");
  });

  test("an attempt that makes the test command run fewer tests, with no test file changed, fails on the runner's own count", async () => {
    const p = await createTestProject({
      stories: [
        { id: "US-001", title: "First" },
        { id: "US-002", title: "Second", dependencies: ["US-001"] },
      ],
      files: {
        "src/a.txt": "a\n",
        // The runner reports one test per line of its list: a config that selects what runs.
        "tests.conf": "one\ntwo\nthree\n",
        "count.sh": 'echo "$(grep -c . tests.conf) pass"; echo "0 fail"\n',
      },
      config: {
        quality: { commands: { test: "sh count.sh" } },
        autoMode: { escalation: { tierOrder: [{ tier: "fast", attempts: 1 }] } },
      },
      script: {
        sessions: [
          { match: "# Task: US-001", actions: [{ append: { path: "src/a.txt", content: "one\n" } }] },
          {
            match: "# Task: US-002",
            actions: [{ append: { path: "src/a.txt", content: "two\n" } }, { run: "sed -i '$d' tests.conf" }],
          },
        ],
      },
    });
    project = p;
    await p.nax(["run", "-f", "demo", "--skip-precheck"]);
    const prd = await p.readJson<{ userStories: Story[] }>("nax/features/demo/prd.json");
    expect(prd.userStories.map((s) => s.status)).toEqual(["passed", "failed"]);
    const failure = prd.userStories[1]?.priorFailures?.[0];
    expect(failure?.category).toBe("test-integrity");
    expect(failure?.reason).toMatch(
      /testCount: \(test run\): `sh count.sh` counted 3 tests on the base commit \w+, 2 now/,
    );
    expect(await readFile(join(p.dir, "tests.conf"), "utf8")).toBe("one\ntwo\nthree\n");
  });
});
