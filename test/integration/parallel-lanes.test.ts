/**
 * `--parallel 3` on six independent stories and one that always fails, with
 * the test-double agent in a temp git repo. The first three sessions wait
 * for a release file the test writes once it has seen all three lanes in
 * `nax/status.json` and in `nax status`, so the overlap is certain rather
 * than a matter of timing. After the run: six passed, one failed, nothing of
 * the failed story in the checkout, no worktree left, and every attempt ref
 * of the failed story still there and holding its work.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StatusFile } from "../../src/state/status-file";
import { type CliResult, createTestProject, exists, type TestProject } from "../helpers/project";
import { dataOf, readEvents, readStatus, readStories } from "../helpers/read-run";
import { until } from "../helpers/until";

const PASSING = ["US-001", "US-003", "US-004", "US-005", "US-006", "US-007"];
const FAILING = "US-002";
const ONE_TRY = {
  autoMode: {
    escalation: {
      tierOrder: [
        { tier: "fast", attempts: 1 },
        { tier: "balanced", attempts: 1 },
      ],
    },
  },
  execution: { rectification: { maxRetries: 0 } },
};

describe("--parallel 3 on six independent stories and one failing story", () => {
  let project: TestProject;
  let gateDir: string;
  let result: CliResult;
  let whileRunning: StatusFile;
  let statusOutput: CliResult;

  beforeAll(async () => {
    gateDir = await mkdtemp(join(tmpdir(), "nax-lanes-gate-"));
    const release = join(gateDir, "release");
    // Waits (in the fake agent, not the test) until the test has looked at the lanes; bounded (about 60 s), so a
    // failed test leaves nothing polling.
    const hold = { run: `i=0; while [ ! -f '${release}' ] && [ $i -lt 3000 ]; do sleep 0.02; i=$((i+1)); done` };
    const write = (path: string, content: string) => ({ write: { path, content } });
    project = await createTestProject({
      stories: [...PASSING, FAILING].sort().map((id) => ({ id, title: `story ${id}` })),
      files: { "check.sh": 'if [ -f src/bad.txt ]; then echo "FAIL bad.txt"; exit 1; fi\n' },
      config: { ...ONE_TRY, quality: { commands: { test: "sh check.sh" } } },
      script: {
        sessions: [
          { match: `# Task: ${FAILING}`, actions: [hold, write("src/bad.txt", "broken\n")] },
          ...PASSING.map((id) => ({ match: `# Task: ${id}`, actions: [hold, write(`src/${id}.txt`, `${id}\n`)] })),
        ],
      },
    });
    const p = project;
    const running = p.nax(["run", "-f", "demo", "--parallel", "3"]);
    await until(
      "three lanes at work in nax/status.json",
      async () => {
        const status = await readStatus(p).catch(() => undefined);
        return (status?.lanes ?? []).length === 3;
      },
      20_000,
      20,
    );
    whileRunning = await readStatus(p);
    statusOutput = await p.nax(["status"]);
    await writeFile(release, "go\n");
    result = await running;
  }, 60_000);
  afterAll(async () => {
    await project.cleanup();
    await rm(gateDir, { recursive: true, force: true });
  });

  test("while running, nax/status.json carries three lanes, numbered 1 to 3, with the first three stories", () => {
    expect(whileRunning.run.status).toBe("running");
    expect(whileRunning.lanes?.map((l) => [l.lane, l.storyId, l.attempt])).toEqual([
      [1, "US-001", 1],
      [2, "US-002", 1],
      [3, "US-003", 1],
    ]);
  });

  test("while running, nax status shows every lane", () => {
    expect(statusOutput.code).toBe(0);
    for (const [lane, id] of [
      [1, "US-001"],
      [2, "US-002"],
      [3, "US-003"],
    ])
      expect(statusOutput.out).toContain(`lane ${lane}: story ${id} "story ${id}"`);
  });

  test("six stories pass and the failing one fails, exit code 1", async () => {
    expect(result.code).toBe(1);
    const stories = await readStories(project);
    expect(PASSING.map((id) => stories[id]?.status)).toEqual(PASSING.map(() => "passed"));
    expect(stories[FAILING]).toMatchObject({ status: "failed", attempts: 2 });
  });

  test("the checkout holds every passed story's work and nothing of the failed one", async () => {
    for (const id of PASSING) expect(await readFile(join(project.dir, `src/${id}.txt`), "utf8")).toBe(`${id}\n`);
    expect(await exists(join(project.dir, "src/bad.txt"))).toBe(false);
    expect(project.git(["status", "--porcelain"])).toBe("");
  });

  test("no worktree is left: git worktree list shows only the checkout", () => {
    const listed = project
      .git(["worktree", "list", "--porcelain"])
      .split("\n")
      .filter((line) => line.startsWith("worktree "));
    expect(listed).toEqual([`worktree ${project.dir}`]);
  });

  test("every attempt ref of the failed story exists and holds its work", () => {
    const refs = project.git(["for-each-ref", "--format=%(refname)", "refs/nax/attempts/"]).trim().split("\n");
    expect(refs).toEqual([`refs/nax/attempts/demo/${FAILING}/1`, `refs/nax/attempts/demo/${FAILING}/2`]);
    for (const ref of refs) expect(project.git(["show", `${ref}:src/bad.txt`])).toBe("broken\n");
  });

  test("every lane's events carry its lane number", async () => {
    const events = await readEvents(project);
    const lanes = dataOf(events, "story:started").map((d) => d.lane);
    expect(lanes).toHaveLength(8);
    expect(lanes.every((lane) => lane === 1 || lane === 2 || lane === 3)).toBe(true);
    expect(dataOf(events, "agent:session-started").every((d) => typeof d.lane === "number")).toBe(true);
  });
});
