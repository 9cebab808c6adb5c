/**
 * tdd-simple through the real loop: one session writes the tests and the
 * code; nax judges RED itself on the tests-only state (the session's other
 * changes stashed while the new tests run, then brought back) and GREEN by
 * its own verify at the end.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestProject } from "../helpers/project";
import { dataOf, readEvents, readStories } from "../helpers/read-run";
import { createTddProject, IMPLEMENTED, PASSING_TEST, RED_TEST, STUB, write } from "../helpers/tdd-project";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const oneSession = (...actions: ReturnType<typeof write>[]) => [{ name: "tdd-simple", actions }];

describe("tdd-simple", () => {
  test("tests that fail without the session's implementation are RED, and the story passes with the implementation kept", async () => {
    project = await createTddProject(
      oneSession(write("test/math.test.ts", RED_TEST), write("src/math.ts", IMPLEMENTED)),
      {
        strategy: "tdd-simple",
      },
    );
    expect((await project.nax(["run", "-f", "demo"])).code).toBe(0);
    expect((await readStories(project))["US-001"]?.status).toBe("passed");
    const events = await readEvents(project);
    expect(dataOf(events, "tdd:red-checked")).toMatchObject([
      { red: true, files: [{ file: "test/math.test.ts", verdict: "red" }] },
    ]);
    expect(dataOf(events, "tdd:green")).toHaveLength(1);
    expect(dataOf(events, "agent:session-started").map((d) => d.purpose)).toEqual(["implement"]);
    expect((await project.claudeCalls())[0]?.prompt).toContain("## Approach: tests first (checked by nax)");
    expect(await readFile(join(project.dir, "src/math.ts"), "utf8")).toBe(IMPLEMENTED);
  });

  test("tests that pass without the implementation are sent back once, then the attempt fails as not-red", async () => {
    project = await createTddProject(
      oneSession(write("test/math.test.ts", PASSING_TEST), write("src/math.ts", IMPLEMENTED)),
      {
        strategy: "tdd-simple",
      },
    );
    expect((await project.nax(["run", "-f", "demo"])).code).toBe(1);
    const story = (await readStories(project))["US-001"];
    expect(story?.priorFailures?.map((f) => f.category)).toEqual(["not-red", "not-red"]);
    const calls = await project.claudeCalls();
    expect(calls[1]?.prompt).toContain("## RED check failed");
    expect(await readFile(join(project.dir, "src/math.ts"), "utf8")).toBe(STUB);
  });
});
