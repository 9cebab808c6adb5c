/**
 * Review and autofix with the test-double agent: the agent's code fails the
 * configured lint command, the mechanical `lintFix` repairs it, the re-review
 * passes, and no agent session is spent on the fix. Without a `lintFix`, the
 * agent gets the lint output in an autofix session instead.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createTestProject, type TestProject } from "../../helpers/project";
import { dataOf, readEvents, readStatus, readStories } from "../../helpers/read-run";

/** The lint rule: no `var` in src. */
const LINT_SH = `if grep -n "var " src/*.js; then echo "lint: use const, not var"; exit 1; fi
echo "lint: clean"
`;
const LINT_FIX_SH = `sed -i 's/var /const /g' src/*.js
`;

describe("a lint failure fixed by lintFix", () => {
  let project: TestProject;
  let code: number;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "Add the counter" }],
      files: { "lint.sh": LINT_SH, "lint-fix.sh": LINT_FIX_SH },
      config: {
        quality: {
          requireLint: true,
          commands: { test: "true", lint: "sh lint.sh", lintFix: "sh lint-fix.sh" },
        },
      },
      script: { default: { actions: [{ write: { path: "src/counter.js", content: "var count = 0;\n" } }] } },
    });
    code = (await project.nax(["run", "-f", "demo"])).code;
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("the run completes with the story passed on its first attempt", async () => {
    expect(code).toBe(0);
    expect((await readStatus(project)).run.status).toBe("completed");
    const story = (await readStories(project))["US-001"];
    expect(story).toMatchObject({ status: "passed", attempts: 1 });
    expect(story?.escalations ?? []).toEqual([]);
  });

  test("one mechanical autofix attempt starts and completes as passed, between a failing and a passing review", async () => {
    const events = await readEvents(project);
    expect(dataOf(events, "autofix:started")).toEqual([
      { storyId: "US-001", attempt: 1, problems: expect.stringContaining("lint") },
    ]);
    expect(dataOf(events, "autofix:completed")).toEqual([
      { storyId: "US-001", attempt: 1, passed: true, mechanical: true },
    ]);
    const stages = dataOf(events, "stage:completed").map((d) => d.stage);
    expect(stages.filter((s) => s === "review")).toHaveLength(2);
    expect(stages.filter((s) => s === "autofix")).toHaveLength(2);
    expect(dataOf(events, "story:escalated")).toEqual([]);
  });

  test("no agent session is spent on the fix", async () => {
    expect((await project.claudeCalls()).map((c) => c.session)).toEqual(["default"]);
    const purposes = dataOf(await readEvents(project), "agent:session-started").map((d) => d.purpose);
    expect(purposes).toEqual(["implement"]);
  });

  test("the fixed file is what was committed", async () => {
    expect(await readFile(join(project.dir, "src/counter.js"), "utf8")).toBe("const count = 0;\n");
    expect(project.git(["show", "HEAD:src/counter.js"])).toBe("const count = 0;\n");
    expect(project.git(["status", "--porcelain"])).toBe("");
  });
});

describe("a lint failure with no mechanical fixer configured", () => {
  let project: TestProject;
  let code: number;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "Add the counter" }],
      files: { "lint.sh": LINT_SH },
      config: { quality: { requireLint: true, commands: { test: "true", lint: "sh lint.sh" } } },
      script: {
        sessions: [
          {
            name: "autofix",
            match: "## Quality checks failing",
            actions: [{ write: { path: "src/counter.js", content: "const count = 0;\n" } }],
            result: { total_cost_usd: 0.02 },
          },
          {
            name: "implement",
            actions: [{ write: { path: "src/counter.js", content: "var count = 0;\n" } }],
            result: { total_cost_usd: 0.03 },
          },
        ],
      },
    });
    code = (await project.nax(["run", "-f", "demo"])).code;
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("asks the agent, with the lint output, and the story passes on its first attempt", async () => {
    expect(code).toBe(0);
    const calls = await project.claudeCalls();
    expect(calls.map((c) => c.session)).toEqual(["implement", "autofix"]);
    expect(calls[1]?.prompt).toStartWith("# Task: US-001 — Add the counter");
    expect(calls[1]?.prompt).toContain("lint: use const, not var");
    expect((await readStories(project))["US-001"]).toMatchObject({ status: "passed", attempts: 1 });
  });

  test("reports one agent autofix attempt that passed, and counts its session's cost", async () => {
    const events = await readEvents(project);
    expect(dataOf(events, "autofix:completed")).toEqual([
      { storyId: "US-001", attempt: 1, passed: true, mechanical: false },
    ]);
    expect(dataOf(events, "agent:session-started").map((d) => d.purpose)).toEqual(["implement", "autofix"]);
    expect(dataOf(events, "story:completed")[0]?.costUsd).toBeCloseTo(0.05, 10);
    expect((await readStatus(project)).cost.spent).toBeCloseTo(0.05, 10);
  });
});
