/**
 * Acceptance tests through the real loop with the test-double agent and a
 * real `bun test`: written before any story, RED judged per test on the
 * base, frozen, gated after each story's merge and at the end (trap 42, docs/traps.md).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ADD,
  ADD_FILE,
  ADD_TEST,
  createAcceptanceProject,
  honestSessions,
  MUL,
  MUL_ALREADY_PASSING,
  MUL_FILE,
  MUL_TEST,
  SYNTAX_ERROR,
  story,
  write,
  writer,
} from "../helpers/acceptance-project";
import type { TestProject } from "../helpers/project";
import { dataOf, readEvents, readStories } from "../helpers/read-run";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

interface Entry {
  storyId: string;
  criterionId: string;
  test?: string;
  hash?: string;
  state: string;
  brokenBy?: string;
}
const entries = async (p: TestProject) =>
  (await p.readJson<{ criteria: Entry[] }>("nax/features/demo/acceptance.json")).criteria;

describe("acceptance tests", () => {
  test("the tests are written before any story, confirmed RED on the base, frozen, and the final gate passes", async () => {
    project = await createAcceptanceProject(honestSessions());
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    const stories = await readStories(project);
    expect([stories["US-001"]?.status, stories["US-002"]?.status]).toEqual(["passed", "passed"]);
    const prompts = (await project.claudeCalls()).map((c) => c.prompt.split("\n")[0]);
    expect(prompts[0]).toBe("# Acceptance tests for feature demo");
    expect(prompts.slice(1).map((p) => p?.slice(0, 15))).toEqual(["# Task: US-001 ", "# Task: US-002 "]);
    const events = await readEvents(project);
    const [red] = dataOf(events, "acceptance:red-checked");
    expect(red).toMatchObject({
      round: 1,
      criteria: [
        { criterion: "US-001/AC-1", file: ADD_FILE, verdict: "red" },
        { criterion: "US-002/AC-1", file: MUL_FILE, verdict: "red" },
      ],
    });
    const [frozen] = dataOf(events, "acceptance:frozen") as Array<{ hashes: Record<string, string> }>;
    const checked = dataOf(events, "acceptance:checked") as Array<{ scope: string; storyId?: string }>;
    expect(checked.map((c) => [c.scope, c.storyId])).toEqual([
      ["story", "US-001"],
      ["story", "US-002"],
      ["final", undefined],
    ]);
    const state = await entries(project);
    expect(state.map((e) => [e.storyId, e.criterionId, e.test, e.state])).toEqual([
      ["US-001", "AC-1", ADD_FILE, "passing"],
      ["US-002", "AC-1", MUL_FILE, "passing"],
    ]);
    expect(state.map((e) => e.hash)).toEqual([frozen?.hashes[ADD_FILE], frozen?.hashes[MUL_FILE]]);
    // The tests arrived in the user's checkout byte for byte, in their own commit before any story.
    expect(await readFile(join(project.dir, ADD_FILE), "utf8")).toBe(ADD_TEST);
    const log = project.git(["log", "--format=%s", "main"]).trim().split("\n");
    expect(log.at(-2)).toBe("nax: acceptance tests of demo, frozen after RED");
  });

  test("a story that edits an acceptance test is caught and the attempt fails; the frozen test stays", async () => {
    project = await createAcceptanceProject([
      writer([write(ADD_FILE, ADD_TEST), write(MUL_FILE, MUL_TEST)]),
      story("US-001", [write("src/add.ts", ADD), write(ADD_FILE, ADD_TEST.replace("toBe(3)", "toBe(0)"))], 1),
      story("US-001", [write("src/add.ts", ADD)]),
      story("US-002", [write("src/mul.ts", MUL)]),
    ]);
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    const events = await readEvents(project);
    expect(dataOf(events, "acceptance:edited")).toEqual([{ storyId: "US-001", files: [ADD_FILE] }]);
    const story1 = (await readStories(project))["US-001"];
    expect(story1?.attempts).toBe(2);
    expect(story1?.priorFailures?.[0]?.reason).toContain("acceptance-tests-edited");
    expect(await readFile(join(project.dir, ADD_FILE), "utf8")).toBe(ADD_TEST);
  });

  test("a criterion whose test already passes on the base is sent back once, then flagged for a person and kept in the gate", async () => {
    project = await createAcceptanceProject([
      writer([write(ADD_FILE, ADD_TEST), write(MUL_FILE, MUL_ALREADY_PASSING)], 1),
      writer([write(MUL_FILE, MUL_ALREADY_PASSING)]),
      story("US-001", [write("src/add.ts", ADD)]),
      story("US-002", [write("src/mul.ts", MUL)]),
    ]);
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    const calls = await project.claudeCalls();
    expect(calls[1]?.prompt).toContain("did not fail by an assertion");
    expect(calls[1]?.prompt).toContain("US-002-AC-1: all 1 test(s) of acceptance/US-002-AC-1.test.ts already pass");
    const rounds = dataOf(await readEvents(project), "acceptance:red-checked") as Array<{
      round: number;
      criteria: Array<{ criterion: string; verdict: string }>;
    }>;
    expect(rounds.map((r) => [r.round, r.criteria.map((c) => `${c.criterion} ${c.verdict}`)])).toEqual([
      [1, ["US-001/AC-1 red", "US-002/AC-1 already-passing"]],
      [2, ["US-002/AC-1 already-passing"]],
    ]);
    const state = await entries(project);
    expect(state.map((e) => [e.storyId, e.state, e.test])).toEqual([
      ["US-001", "passing", ADD_FILE],
      ["US-002", "already-passing", MUL_FILE],
    ]);
    expect(result.out).toContain("US-002/AC-1: its acceptance test already passes before any story");
  });

  test("an acceptance test with a syntax error is not accepted as RED: sent back once, then the run stops before any story", async () => {
    project = await createAcceptanceProject([
      writer([write(ADD_FILE, ADD_TEST), write(MUL_FILE, SYNTAX_ERROR)], 1),
      writer([write(MUL_FILE, SYNTAX_ERROR)]),
      story("US-001", [write("src/add.ts", ADD)]),
    ]);
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(1);
    const calls = await project.claudeCalls();
    expect(calls.map((c) => c.prompt.split("\n")[0])).toEqual([
      "# Acceptance tests for feature demo",
      "# Acceptance tests for feature demo: not RED",
    ]);
    const rounds = dataOf(await readEvents(project), "acceptance:red-checked") as Array<{
      criteria: Array<{ criterion: string; verdict: string }>;
    }>;
    expect(rounds.map((r) => r.criteria.find((c) => c.criterion === "US-002/AC-1")?.verdict)).toEqual([
      "uncollectable",
      "uncollectable",
    ]);
    const [completed] = dataOf(await readEvents(project), "run:completed");
    expect(String(completed?.exitReason)).toContain("acceptance tests not RED for a real reason: US-002/AC-1");
    expect((await readStories(project))["US-001"]?.status).toBe("pending");
  });

  test("a story whose merge breaks another story's criterion is traced to it, and the final gate fails the run", async () => {
    project = await createAcceptanceProject(
      [
        writer([write(ADD_FILE, ADD_TEST), write(MUL_FILE, MUL_TEST)]),
        story("US-001", [write("src/add.ts", ADD)]),
        story("US-002", [write("src/mul.ts", MUL), write("src/add.ts", ADD.replace("a + b", "a - b"))]),
      ],
      { config: { acceptance: { enabled: true, command: "bun test {{files}}", maxFixAttempts: 0 } } },
    );
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(1);
    const events = await readEvents(project);
    const checked = dataOf(events, "acceptance:checked") as Array<{ storyId?: string; brokenBy: string[] }>;
    expect(checked.map((c) => [c.storyId, c.brokenBy])).toEqual([
      ["US-001", []],
      ["US-002", ["US-001/AC-1"]],
      [undefined, []],
    ]);
    const state = await entries(project);
    expect(state.map((e) => [e.storyId, e.state, e.brokenBy])).toEqual([
      ["US-001", "failing", "US-002"],
      ["US-002", "passing", undefined],
    ]);
    const [completed] = dataOf(events, "run:completed");
    expect(completed?.status).toBe("failed");
    expect(String(completed?.exitReason)).toContain(
      "final acceptance gate failed: US-001/AC-1 (owned by US-001, broken by the merge of US-002)",
    );
  });

  test("a criterion failing at the end gets a fix story with a unique id in the PRD, gated by that criterion, and the run passes", async () => {
    project = await createAcceptanceProject([
      writer([write(ADD_FILE, ADD_TEST), write(MUL_FILE, MUL_TEST)]),
      story("US-001-AC-1-fix-1", [write("src/add.ts", ADD)]),
      story("US-001", [write("src/add.ts", ADD)]),
      story("US-002", [write("src/mul.ts", MUL), write("src/add.ts", ADD.replace("a + b", "a - b"))]),
    ]);
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    const stories = await readStories(project);
    expect(stories["US-001-AC-1-fix-1"]).toMatchObject({
      status: "passed",
      tags: ["acceptance-fix", "acceptance-fix:US-001/AC-1"],
    });
    const fixPrompt = (await project.claudeCalls()).at(-1)?.prompt ?? "";
    expect(fixPrompt).toContain("It passed until US-002 was merged.");
    const checked = dataOf(await readEvents(project), "acceptance:checked") as Array<{
      scope: string;
      storyId?: string;
      results: Array<{ criterion: string; passed: boolean }>;
    }>;
    expect(checked.map((c) => [c.scope, c.storyId ?? "", c.results.every((r) => r.passed)])).toEqual([
      ["story", "US-001", true],
      ["story", "US-002", true],
      ["final", "", false],
      ["story", "US-001-AC-1-fix-1", true],
      ["final", "", true],
    ]);
    expect(checked[3]?.results.map((r) => r.criterion)).toEqual(["US-001/AC-1"]);
    // The fix story has no acceptance test of its own: the criteria are still the two.
    expect((await entries(project)).map((e) => [e.storyId, e.state])).toEqual([
      ["US-001", "passing"],
      ["US-002", "passing"],
    ]);
  });
});
