/**
 * The deferred regression gate with the test-double agent and a real `bun
 * test`. US-10 adds a cart whose label uses the shared `money` formatter;
 * US-1 then changes `money`, and its own (scoped) tests pass. The full suite
 * after every story fails the cart test: the gate traces it to US-10 through
 * the files its `Nax-Story: US-10` commit changed (US-1, whose id is a prefix
 * of US-10, is not blamed), reopens US-10 with the failing test as a prior
 * failure, and the repaired run ends completed.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { FakeClaudeInvocation } from "../../fakes/fake-claude-script";
import { createTestProject, type TestProject } from "../../helpers/project";
import { dataOf, readEvents, readStatus, readStories } from "../../helpers/read-run";

const FILES = {
  "src/format.ts": "export const money = (n: number) => n.toFixed(2);\n",
  "test/format.test.ts": `import { expect, test } from "bun:test";
import { money } from "../src/format";
test("money has two decimals", () => expect(money(1)).toBe("1.00"));
`,
};
const CART_TEST = `import { expect, test } from "bun:test";
import { label } from "../src/cart";
test("the cart label is the plain total", () => expect(label([1, 2])).toBe("3.00"));
`;
const write = (path: string, content: string) => ({ write: { path, content } });

const SESSIONS = [
  {
    name: "US-10 repair",
    match: "/# Task: US-10 —[\\s\\S]*stage regression/",
    actions: [
      write("src/cart.ts", "export const label = (xs: number[]) => xs.reduce((a, b) => a + b, 0).toFixed(2);\n"),
    ],
    result: { total_cost_usd: 0.04 },
  },
  {
    name: "US-10",
    match: "# Task: US-10 —",
    actions: [
      write(
        "src/cart.ts",
        'import { money } from "./format";\nexport const label = (xs: number[]) => money(xs.reduce((a, b) => a + b, 0));\n',
      ),
      write("test/cart.test.ts", CART_TEST),
    ],
    result: { total_cost_usd: 0.03 },
  },
  {
    name: "US-1",
    match: "# Task: US-1 —",
    actions: [
      write("src/format.ts", "export const money = (n: number) => `$${n.toFixed(2)}`;\n"),
      write(
        "test/format.test.ts",
        `import { expect, test } from "bun:test";
import { money } from "../src/format";
test("money has a dollar sign and two decimals", () => expect(money(1)).toBe("$1.00"));
`,
      ),
    ],
  },
];

describe("a deferred regression traced to the story that touched the failing test, and repaired", () => {
  let project: TestProject;
  let code: number;
  let calls: FakeClaudeInvocation[];

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-10", title: "Cart label" },
        { id: "US-1", title: "Dollar sign in money", dependencies: ["US-10"] },
      ],
      files: FILES,
      config: { quality: { commands: { test: "bun test" } }, execution: { regressionGate: { mode: "deferred" } } },
      script: { sessions: SESSIONS },
    });
    code = (await project.nax(["run", "-f", "demo"])).code;
    calls = await project.claudeCalls();
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("each story's own verification was scoped to its tests, so the regression was only visible to the gate", async () => {
    const verifies = dataOf(await readEvents(project), "verify:completed");
    expect(verifies.slice(0, 2).map((d) => [d.storyId, d.scope, d.passed])).toEqual([
      ["US-10", "scoped", true],
      ["US-1", "scoped", true],
    ]);
  });

  test("regression:detected names only US-10, never US-1 whose id is its prefix", async () => {
    const detected = dataOf(await readEvents(project), "regression:detected");
    expect(detected).toEqual([
      {
        storyIds: ["US-10"],
        failingTests: ["test/cart.test.ts > the cart label is the plain total"],
        mode: "deferred",
      },
    ]);
  });

  test("US-10 is reopened and repaired with the failing test in its prompt; US-1 is not run again", async () => {
    expect(calls.map((c) => c.session)).toEqual(["US-10", "US-1", "US-10 repair"]);
    expect(calls[2]?.prompt).toContain("Failing tests:\n  - the cart label is the plain total");
    const started = dataOf(await readEvents(project), "story:started");
    expect(started.map((d) => [d.storyId, d.attempt])).toEqual([
      ["US-10", 1],
      ["US-1", 1],
      ["US-10", 2],
    ]);
  });

  test("prd.json shows US-10 passed on its second attempt with the regression recorded, US-1 untouched", async () => {
    const stories = await readStories(project);
    expect(stories["US-10"]).toMatchObject({ status: "passed", attempts: 2 });
    expect(stories["US-10"]?.priorFailures?.map((f) => [f.stage, f.failingTests])).toEqual([
      ["regression", ["the cart label is the plain total"]],
    ]);
    expect(stories["US-1"]).toMatchObject({ status: "passed", attempts: 1 });
    expect(stories["US-1"]?.priorFailures).toBeUndefined();
  });

  test("US-10's cost covers both of its attempts; the run's covers every session", async () => {
    const completed = dataOf(await readEvents(project), "story:completed");
    expect(completed.map((d) => [d.storyId, d.attempts, Number((d.costUsd as number).toFixed(6))])).toEqual([
      ["US-10", 1, 0.03],
      ["US-1", 1, 0.01],
      ["US-10", 2, 0.07],
    ]);
    expect((await readStatus(project)).cost.spent).toBeCloseTo(0.08, 10);
  });

  test("the run ends completed with exit 0 once the gate passes, and the repair is a second US-10 commit", async () => {
    expect(code).toBe(0);
    const status = await readStatus(project);
    expect(status.run.status).toBe("completed");
    expect(status.progress).toMatchObject({ total: 2, passed: 2 });
    const trailers = project
      .git(["log", "--format=%(trailers:key=Nax-Story,valueonly)"])
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "");
    expect(trailers).toEqual(["US-10", "US-1", "US-10"]);
    expect(project.git(["status", "--porcelain"])).toBe("");
  });
});
