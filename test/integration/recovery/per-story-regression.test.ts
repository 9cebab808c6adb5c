/**
 * The per-story regression gate with the test-double agent: each story's own
 * verification is scoped (`testScoped` with `{{files}}`), and the FULL suite
 * runs after each story. US-002's file duplicates US-001's, which only the
 * full suite checks: the gate catches it, a rectify round repairs it, and the
 * story still passes on its first attempt. The test script logs every run.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createTestProject, type TestProject } from "../../helpers/project";
import { dataOf, readEvents, readStatus, readStories } from "../../helpers/read-run";

/**
 * Scoped: checks the sources of the given test files. Full: checks every
 * src/*.txt, and that no two of them say the same. Logs which run it was.
 */
const CHECK_SH = `#!/bin/sh
if [ $# -gt 0 ]; then
  echo "scoped $*" >> "$(git rev-parse --git-common-dir)/../../suite-runs"
  files=$(for t in "$@"; do echo "src/$(basename "$t" .test.txt).txt"; done)
else
  echo "full" >> "$(git rev-parse --git-common-dir)/../../suite-runs"
  files=$(ls src/*.txt)
  [ -z "$(cat $files | sort | uniq -d)" ] || { echo "FAIL two files say the same"; exit 1; }
fi
for f in $files; do grep -q ok "$f" || { echo "FAIL $f"; exit 1; }; done
echo "all good"
`;
const write = (path: string, content: string) => ({ write: { path, content } });

describe("per-story regression mode", () => {
  let project: TestProject;
  let code: number;
  let runs: string[];

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "first" },
        { id: "US-002", title: "second", dependencies: ["US-001"] },
      ],
      files: { "check.sh": CHECK_SH },
      config: {
        quality: { commands: { test: "sh check.sh", testScoped: "sh check.sh {{files}}" } },
        execution: { regressionGate: { mode: "per-story" } },
      },
      script: {
        sessions: [
          { name: "US-002 rectify", match: "## Rectification round", actions: [write("src/two.txt", "ok two\n")] },
          {
            name: "US-001",
            match: "# Task: US-001",
            actions: [write("src/one.txt", "ok one\n"), write("test/one.test.txt", "checks src/one.txt\n")],
          },
          {
            name: "US-002",
            match: "# Task: US-002",
            actions: [write("src/two.txt", "ok one\n"), write("test/two.test.txt", "checks src/two.txt\n")],
          },
        ],
      },
    });
    code = (await project.nax(["run", "-f", "demo", "--skip-precheck"])).code;
    runs = (await readFile(join(project.dir, "..", "suite-runs"), "utf8")).trim().split("\n");
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("the full suite runs after each story's scoped verification", () => {
    expect(runs).toEqual([
      "scoped test/one.test.txt",
      "full",
      "scoped test/two.test.txt",
      "full",
      "scoped test/two.test.txt",
      "full",
    ]);
  });

  test("the gate's failure is announced for US-002 alone and sent back to rectify once", async () => {
    const events = await readEvents(project);
    expect(dataOf(events, "regression:detected")).toEqual([
      { storyId: "US-002", storyIds: ["US-002"], failingTests: [], mode: "per-story" },
    ]);
    expect(dataOf(events, "rectify:started").map((d) => d.storyId)).toEqual(["US-002"]);
    const gate = dataOf(events, "stage:completed").filter((d) => d.stage === "regression");
    expect(gate.map((d) => [d.storyId, d.action])).toEqual([
      ["US-001", "continue"],
      ["US-002", "retry"],
      ["US-002", "continue"],
    ]);
    expect(dataOf(events, "story:escalated")).toEqual([]);
  });

  test("both stories pass on their first attempt and the run completes with the repair committed", async () => {
    expect(code).toBe(0);
    expect((await readStatus(project)).run.status).toBe("completed");
    const stories = await readStories(project);
    expect(stories["US-001"]).toMatchObject({ status: "passed", attempts: 1 });
    expect(stories["US-002"]).toMatchObject({ status: "passed", attempts: 1 });
    expect(project.git(["show", "HEAD:src/two.txt"])).toBe("ok two\n");
  });
});
