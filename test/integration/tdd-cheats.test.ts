/**
 * The cheats the TDD strategies make impossible, one per test, each played
 * by the test-double agent through the real loop with a real `bun test`:
 * each is caught with its category, and nothing of it reaches the checkout
 * (the attempt's work is kept on its attempt ref). The agent CLI's own
 * permission rules are not what stops them: the fake ignores them, as the
 * real CLI's Bash tool would.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { exists, type TestProject } from "../helpers/project";
import { dataOf, readEvents, readStories } from "../helpers/read-run";
import {
  createTddProject,
  IMPLEMENTED,
  implementer,
  PASSING_TEST,
  RED_TEST,
  STUB,
  SYNTAX_ERROR_TEST,
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

const append = (path: string, content: string) => ({ append: { path, content } });

async function checkoutHasNothingOf(p: TestProject): Promise<void> {
  expect(await readFile(join(p.dir, "src/math.ts"), "utf8")).toBe(STUB);
  expect(await exists(join(p.dir, "test/math.test.ts"))).toBe(false);
  // nax's own bookkeeping (prd.json's story states) is the only change in the checkout.
  expect(p.git(["status", "--porcelain", "--", ".", ":!nax"])).toBe("");
}

function categories(story: { priorFailures?: Array<{ category?: string }> } | undefined): (string | undefined)[] {
  return (story?.priorFailures ?? []).map((f) => f.category);
}

describe("TDD cheats are caught", () => {
  test("a test writer that edits a source file is an isolation-violation, and its edit is kept on the attempt ref only", async () => {
    project = await createTddProject([
      testWriter([write("test/math.test.ts", RED_TEST), append("src/math.ts", "// the test writer was here\n")]),
    ]);
    expect((await project.nax(["run", "-f", "demo"])).code).toBe(1);
    const story = (await readStories(project))["US-001"];
    expect(story?.status).toBe("failed");
    expect(categories(story)).toEqual(["isolation-violation", "isolation-violation"]);
    const violations = dataOf(await readEvents(project), "tdd:isolation-violation");
    expect(violations[0]).toMatchObject({ role: "test-writer", breaches: [{ path: "src/math.ts", kind: "modified" }] });
    await checkoutHasNothingOf(project);
    expect(project.git(["show", "refs/nax/attempts/demo/US-001/1:src/math.ts"])).toContain("the test writer was here");
    // No implementer ever ran on the cheat.
    expect((await project.claudeCalls()).some((c) => c.prompt.includes("Role: implementer"))).toBe(false);
  });

  test("with tdd.onViolation pause, a violation pauses the story for a person instead of escalating", async () => {
    project = await createTddProject(
      [testWriter([write("test/math.test.ts", RED_TEST), append("src/math.ts", "// the test writer was here\n")])],
      { config: { tdd: { onViolation: "pause" } } },
    );
    await project.nax(["run", "-f", "demo"]);
    const story = (await readStories(project))["US-001"];
    expect(story?.status).toBe("paused");
    const events = await readEvents(project);
    expect(dataOf(events, "tdd:isolation-violation")).toHaveLength(1);
    expect(String(dataOf(events, "story:paused")[0]?.reason)).toContain("isolation-violation");
    await checkoutHasNothingOf(project);
  });

  test("an implementer that edits a frozen test is an isolation-violation, and the retry gets the original test back", async () => {
    project = await createTddProject([
      testWriter([write("test/math.test.ts", RED_TEST)]),
      implementer([
        write("test/math.test.ts", 'import { test } from "bun:test";\ntest("adds two numbers", () => {});\n'),
      ]),
    ]);
    expect((await project.nax(["run", "-f", "demo"])).code).toBe(1);
    const story = (await readStories(project))["US-001"];
    expect(categories(story)).toEqual(["isolation-violation", "isolation-violation"]);
    const events = await readEvents(project);
    expect(dataOf(events, "tdd:isolation-violation")[0]).toMatchObject({
      role: "implementer",
      breaches: [{ path: "test/math.test.ts", kind: "modified" }],
    });
    // The second attempt carried the frozen (original) test, not the weakened one.
    const frozen = dataOf(events, "tdd:tests-frozen") as Array<{ hashes: Record<string, string>; carried: boolean }>;
    expect(frozen.map((f) => f.carried)).toEqual([false, true]);
    expect(frozen[1]?.hashes).toEqual(frozen[0]?.hashes as Record<string, string>);
    await checkoutHasNothingOf(project);
  });

  test("a test writer whose test already passes is sent back once with the evidence, then the attempt fails as not-red", async () => {
    project = await createTddProject([testWriter([write("test/math.test.ts", PASSING_TEST)])]);
    expect((await project.nax(["run", "-f", "demo"])).code).toBe(1);
    const story = (await readStories(project))["US-001"];
    expect(categories(story)).toEqual(["not-red", "not-red"]);
    const red = dataOf(await readEvents(project), "tdd:red-checked");
    expect(red.slice(0, 2)).toMatchObject([
      { red: false, round: 1, files: [{ file: "test/math.test.ts", verdict: "already-passing" }] },
      { red: false, round: 2, files: [{ file: "test/math.test.ts", verdict: "already-passing" }] },
    ]);
    const writers = (await project.claudeCalls()).filter((c) => c.prompt.includes("Role: test-writer"));
    expect(writers).toHaveLength(4);
    expect(writers[0]?.prompt).not.toContain("## RED check failed");
    expect(writers[1]?.prompt).toContain("## RED check failed");
    expect(writers[1]?.prompt).toContain("already pass before any implementation");
    expect((await project.claudeCalls()).some((c) => c.prompt.includes("Role: implementer"))).toBe(false);
    await checkoutHasNothingOf(project);
  });

  test("a test file with a syntax error is not accepted as RED", async () => {
    project = await createTddProject([testWriter([write("test/math.test.ts", SYNTAX_ERROR_TEST)])]);
    expect((await project.nax(["run", "-f", "demo"])).code).toBe(1);
    const story = (await readStories(project))["US-001"];
    expect(categories(story)).toEqual(["not-red", "not-red"]);
    const [first] = dataOf(await readEvents(project), "tdd:red-checked");
    expect(first).toMatchObject({ red: false, files: [{ file: "test/math.test.ts", verdict: "uncollectable" }] });
    expect(JSON.stringify(first)).toContain("did not load");
    await checkoutHasNothingOf(project);
  });

  test("a malformed verdict is recorded as missing and nax's own test run decides", async () => {
    project = await createTddProject([
      testWriter([write("test/math.test.ts", RED_TEST)]),
      implementer([write("src/math.ts", IMPLEMENTED)]),
      verifier(verdict('{"verdict": "LGTM", "confidence": "high"}')),
    ]);
    expect((await project.nax(["run", "-f", "demo"])).code).toBe(0);
    const [recorded] = dataOf(await readEvents(project), "tdd:verdict");
    expect(recorded).toMatchObject({ source: "nax", verdict: "pass" });
    expect(String((recorded as { missing?: string }).missing)).toContain("does not match the verdict format");
  });

  test("a verifier that edits a file is an isolation-violation even when its verdict says pass", async () => {
    project = await createTddProject([
      testWriter([write("test/math.test.ts", RED_TEST)]),
      implementer([write("src/math.ts", IMPLEMENTED)]),
      verifier(verdict('{"verdict": "pass"}'), [append("src/math.ts", "// verified\n")]),
    ]);
    expect((await project.nax(["run", "-f", "demo"])).code).toBe(1);
    const violations = dataOf(await readEvents(project), "tdd:isolation-violation");
    expect(violations[0]).toMatchObject({ role: "verifier", breaches: [{ path: "src/math.ts" }] });
    await checkoutHasNothingOf(project);
  });

  test("an implementer's objection to a test pauses the story for a person; the test is not edited", async () => {
    const objection =
      'Here is why.\n```nax-objection\n{"test": "test/math.test.ts", "reason": "criterion 1 says 3"}\n```\n';
    project = await createTddProject([testWriter([write("test/math.test.ts", RED_TEST)]), implementer([], objection)]);
    await project.nax(["run", "-f", "demo"]);
    const story = (await readStories(project))["US-001"];
    expect(story?.status).toBe("paused");
    expect(dataOf(await readEvents(project), "tdd:objection")).toEqual([
      { storyId: "US-001", test: "test/math.test.ts", reason: "criterion 1 says 3" },
    ]);
    await checkoutHasNothingOf(project);
  });
});
