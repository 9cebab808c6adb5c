import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { EventLineSchema } from "../../src/state/event-line";
import { RunMetaSchema } from "../../src/state/run-meta";
import { StatusFileSchema } from "../../src/state/status-file";
import { createTestProject, exists, type TestProject } from "../helpers/project";

const STORIES = [
  { id: "US-001", title: "Add the greeting file", acceptanceCriteria: ["src/one.txt says ok"] },
  { id: "US-002", title: "Add the second file", dependencies: ["US-001"], acceptanceCriteria: ["src/two.txt says ok"] },
  {
    id: "US-003",
    title: "Add the third file",
    dependencies: ["US-002"],
    acceptanceCriteria: ["src/three.txt says ok"],
  },
];

/** The project's tests: every src/*.txt must say ok. */
const CHECK_SH = `#!/bin/sh
for f in src/*.txt; do
  [ -e "$f" ] || continue
  grep -q ok "$f" || { echo "FAIL $f"; exit 1; }
done
echo "all good"
`;

function storySession(id: string, file: string) {
  return { name: id, match: `Task: ${id}`, actions: [{ write: { path: `src/${file}.txt`, content: "ok\n" } }] };
}

describe("the spine: a 3-story feature run as a user would", () => {
  let project: TestProject;
  let result: { code: number; out: string; err: string };
  let runId: string;

  beforeAll(async () => {
    project = await createTestProject({
      stories: STORIES,
      config: { quality: { commands: { test: "sh check.sh" } } },
      files: { "check.sh": CHECK_SH },
      script: {
        sessions: [storySession("US-001", "one"), storySession("US-002", "two"), storySession("US-003", "three")],
      },
    });
    result = await project.nax(["run", "-f", "demo"]);
    const status = StatusFileSchema.parse(await project.readJson("nax/status.json"));
    runId = status.run.id;
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("exits 0 and marks every story passed in prd.json", async () => {
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const prd = await project.readJson<{ userStories: { id: string; status: string }[] }>("nax/features/demo/prd.json");
    expect(prd.userStories.map((s) => [s.id, s.status])).toEqual([
      ["US-001", "passed"],
      ["US-002", "passed"],
      ["US-003", "passed"],
    ]);
  });

  test("makes one commit per story with Nax-Story and Nax-Run trailers, and leaves the tree clean", () => {
    const log = project.git([
      "log",
      "--format=%s%x1f%(trailers:key=Nax-Story,valueonly)%x1f%(trailers:key=Nax-Run,valueonly)%x1e",
    ]);
    const lines = log
      .split("\x1e")
      .map((record) => record.trim())
      .filter((record) => record !== "")
      .map((record) =>
        record
          .split("\x1f")
          .map((field) => field.trim())
          .join("|"),
      );
    expect(lines).toEqual([
      `feat(US-003): Add the third file|US-003|${runId}`,
      `feat(US-002): Add the second file|US-002|${runId}`,
      `feat(US-001): Add the greeting file|US-001|${runId}`,
      "initial||",
    ]);
    expect(project.git(["status", "--porcelain"])).toBe("");
  });

  test("writes a completed status and feature snapshot with the run id and counts", async () => {
    for (const path of ["nax/status.json", "nax/features/demo/status.json"]) {
      const status = StatusFileSchema.parse(await project.readJson(path));
      expect(status.run.status).toBe("completed");
      expect(status.run.id).toBe(runId);
      expect(status.progress).toMatchObject({ total: 3, passed: 3, failed: 0, pending: 0 });
    }
  });

  test("logs run:started once, story:completed three times and run:completed once, in a file named by the run id", async () => {
    const text = await readFile(join(project.dir, "nax/features/demo/runs", `${runId}.jsonl`), "utf8");
    const lines = text
      .trim()
      .split("\n")
      .map((line) => EventLineSchema.parse(JSON.parse(line)));
    const count = (type: string) => lines.filter((l) => l.type === type).length;
    expect(count("run:started")).toBe(1);
    expect(count("story:completed")).toBe(3);
    expect(count("run:completed")).toBe(1);
    expect(new Set(lines.map((l) => l.runId))).toEqual(new Set([runId]));
  });

  test("registers the run in NAX_HOME with the seven pointer fields and the PRD's project name", async () => {
    const entries = await readdir(join(project.home, "runs"));
    expect(entries.sort()).toEqual(["index.jsonl", `project-demo-${runId}`]);
    const dirs = entries.filter((name) => name !== "index.jsonl");
    const meta = RunMetaSchema.strict().parse(
      JSON.parse(await readFile(join(project.home, "runs", dirs[0] as string, "meta.json"), "utf8")),
    );
    expect(meta).toMatchObject({ runId, project: "project", feature: "demo", workdir: project.dir });
    expect(Object.keys(meta).sort()).toEqual(
      ["eventsDir", "feature", "prdProject", "project", "registeredAt", "runId", "statusPath", "workdir"].sort(),
    );
  });

  test("leaves no nax.lock behind", async () => {
    expect(await exists(join(project.dir, "nax.lock"))).toBe(false);
  });
});
