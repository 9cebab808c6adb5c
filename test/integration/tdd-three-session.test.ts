/**
 * Three-session TDD through the real loop with the test-double agent and a
 * real `bun test`: the session order and roles, RED judged by nax's own run,
 * the tests frozen and carried to a retry, and the verifier's verdict.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createTestProject, type TestProject } from "../helpers/project";
import { dataOf, readEvents, readStories } from "../helpers/read-run";
import {
  createTddProject,
  honestSessions,
  IMPLEMENTED,
  implementer,
  RED_TEST,
  testWriter,
  verdict,
  verifier,
  write,
} from "../helpers/tdd-project";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

describe("routing picks the strategy", () => {
  test("an unpinned auth story routes to three-session-tdd, a typo fix to test-after, and the dry run shows both", async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "Add auth to the admin page", description: "Only admins may open it" },
        { id: "US-002", title: "Fix a typo in the footer", description: "" },
      ],
      config: { quality: { commands: { test: "true" } } },
    });
    const dry = await project.nax(["run", "-f", "demo", "--dry-run", "--json"]);
    const plan = JSON.parse(dry.out) as { stories: Array<{ id: string; testStrategy: string }> };
    expect(plan.stories.map((s) => [s.id, s.testStrategy])).toEqual([
      ["US-001", "three-session-tdd"],
      ["US-002", "test-after"],
    ]);
  });
});

describe("three-session TDD", () => {
  test("the test writer, implementer and verifier run in order, each with its role line, and the story passes", async () => {
    project = await createTddProject(honestSessions());
    // Before the run: --dry-run names the strategy, `nax prompts` shows the test writer's prompt the run will send.
    const dry = await project.nax(["run", "-f", "demo", "--dry-run"]);
    expect(dry.out).toContain("three-session-tdd");
    const preview = JSON.parse((await project.nax(["prompts", "-f", "demo", "--json"])).out) as {
      prompts: Array<{ testStrategy: string; prompt: string }>;
    };
    expect(preview.prompts[0]?.testStrategy).toBe("three-session-tdd");
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    expect((await readStories(project))["US-001"]?.status).toBe("passed");
    expect((await project.claudeCalls())[0]?.prompt).toBe(preview.prompts[0]?.prompt as string);
    const prompts = (await project.claudeCalls()).map((c) => c.prompt.split("\n")[1]);
    expect(prompts).toEqual(["Role: test-writer", "Role: implementer", "Role: verifier"]);
    const events = await readEvents(project);
    expect(dataOf(events, "agent:session-started").map((d) => [d.purpose, d.tier])).toEqual([
      ["test-writer", "fast"],
      ["implementer", "fast"],
      ["verifier", "fast"],
    ]);
    const [red] = dataOf(events, "tdd:red-checked");
    expect(red).toMatchObject({ red: true, round: 1, files: [{ file: "test/math.test.ts", verdict: "red" }] });
    const [frozen] = dataOf(events, "tdd:tests-frozen");
    const [green] = dataOf(events, "tdd:green");
    // The test file is byte for byte the one that was RED, at GREEN.
    expect((green as { hashes: unknown }).hashes).toEqual((red as { hashes: unknown }).hashes);
    expect((frozen as { hashes: unknown }).hashes).toEqual((red as { hashes: unknown }).hashes);
    expect(dataOf(events, "tdd:verdict")).toEqual([
      { storyId: "US-001", source: "verifier", verdict: "pass", reasons: [] },
    ]);
    expect(await readFile(join(project.dir, "src/math.ts"), "utf8")).toBe(IMPLEMENTED);
    expect(await readFile(join(project.dir, "test/math.test.ts"), "utf8")).toBe(RED_TEST);
    // The implementer's CLI was told up front it may not edit test files; the verifier may edit nothing.
    const argv = (await project.claudeCalls()).map((c) => c.argv.slice(c.argv.indexOf("--disallowedTools") + 1));
    expect(argv[1]).toContain("Write(**/*.test.*)");
    expect(argv[2]).toEqual(["Edit", "MultiEdit", "Write", "NotebookEdit"]);
  });

  test("a rectify session after the implementer is told it is the implementer and which tests are frozen, and passes", async () => {
    const WRONG = "export function add(a: number, b: number): number {\n  return a - b;\n}\n";
    project = await createTddProject(
      [
        { name: "rectify", match: "## Rectification round", actions: [write("src/math.ts", IMPLEMENTED)] },
        testWriter([write("test/math.test.ts", RED_TEST)]),
        implementer([write("src/math.ts", WRONG)]),
        verifier(verdict('{"verdict": "pass"}')),
      ],
      { config: { execution: { rectification: { maxRetries: 1 } } } },
    );
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    expect((await readStories(project))["US-001"]).toMatchObject({ status: "passed", attempts: 1 });
    const rectify = (await project.claudeCalls()).find((c) => c.prompt.includes("## Rectification round"));
    const [heading, role, rule] = rectify?.prompt.split("\n") ?? [];
    expect(heading).toStartWith("# Task: US-001");
    expect(role).toBe("Role: implementer");
    expect(rule).toStartWith("The tests are frozen: test/math.test.ts.");
    // And its CLI refuses edits of the frozen file up front, as the implementer's refused test files.
    const denied = rectify?.argv.slice((rectify?.argv.indexOf("--disallowedTools") ?? 0) + 1) ?? [];
    expect(denied).toEqual(["Edit", "MultiEdit", "Write", "NotebookEdit"].map((t) => `${t}(test/math.test.ts)`));
    expect(await readFile(join(project.dir, "test/math.test.ts"), "utf8")).toBe(RED_TEST);
  });

  test("an implementer that fails once keeps the tests: the retry starts from the frozen commit without a new test writer, and passes", async () => {
    project = await createTddProject([
      testWriter([write("test/math.test.ts", RED_TEST)]),
      implementer(
        [write("src/math.ts", "export function add(a: number, b: number): number {\n  return a - b;\n}\n")],
        undefined,
        1,
      ),
      implementer([write("src/math.ts", IMPLEMENTED)]),
      verifier(verdict('{"verdict": "pass"}')),
    ]);
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    const story = (await readStories(project))["US-001"];
    expect(story).toMatchObject({ status: "passed", attempts: 2 });
    const events = await readEvents(project);
    expect(dataOf(events, "agent:session-started").map((d) => [d.purpose, d.tier])).toEqual([
      ["test-writer", "fast"],
      ["implementer", "fast"],
      ["implementer", "balanced"],
      ["verifier", "balanced"],
    ]);
    const frozen = dataOf(events, "tdd:tests-frozen") as Array<{ commit: string; carried: boolean; hashes: unknown }>;
    expect(frozen.map((f) => f.carried)).toEqual([false, true]);
    expect(frozen[1]?.hashes).toEqual(frozen[0]?.hashes);
    // The ledger shows the same: sessions with role and tier in order, and the TDD evidence.
    const ledger = await project.nax(["status", "-f", "demo", "--story", "US-001"]);
    expect(ledger.code).toBe(0);
    const sessionLines = ledger.out.split("\n").filter((line) => / on (fast|balanced) \(/.test(line));
    expect(sessionLines.map((line) => line.trim().split(" (")[0])).toEqual([
      "test-writer on fast",
      "implementer on fast",
      "implementer on balanced",
      "verifier on balanced",
    ]);
    expect(ledger.out).toContain("RED round 1: red (test/math.test.ts red)");
    expect(ledger.out).toContain("(carried from an earlier attempt)");
    expect(ledger.out).toContain(": test files as at RED");
    expect(ledger.out).toContain("verifier: pass");
    expect(ledger.out).toContain("has a green");
    // The second implementer's worktree held the frozen tests when it started.
    const calls = await project.claudeCalls();
    expect(calls[2]?.prompt).toContain("test/math.test.ts");
    expect(await readFile(join(project.dir, "test/math.test.ts"), "utf8")).toBe(RED_TEST);
    expect(await readFile(join(project.dir, "src/math.ts"), "utf8")).toBe(IMPLEMENTED);
  });
});
