/**
 * One three-session TDD story end to end: `bin/nax.ts run` as a process, the
 * REAL Claude Code CLI as each session's agent (with the role's
 * --disallowedTools), and the loopback model mock, whose scenarios are picked
 * by the `Role:` line nax puts in each prompt. nax judges RED and GREEN with
 * a real `bun test`. Three real CLI sessions (each ~0.6-2 s and ~300 MB).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createClaudeTestEnv, realClaudePath } from "../helpers/claude-env";
import { type MockAnthropic, startMockAnthropic } from "../helpers/mock-anthropic";
import type { TestProject } from "../helpers/project";
import { dataOf, readEvents, readStories } from "../helpers/read-run";
import { createTddProject, IMPLEMENTED, RED_TEST } from "../helpers/tdd-project";

const NAX = resolve(import.meta.dir, "../../bin/nax.ts");

const SCENARIOS = {
  "test-writer": {
    match: "Role: test-writer",
    turns: [
      {
        text: "Writing the failing test.",
        tool_use: { name: "Write", input: { file_path: "{{cwd}}/test/math.test.ts", content: RED_TEST } },
      },
      { text: "The test is written." },
    ],
  },
  implementer: {
    match: "Role: implementer",
    // The CLI's Write tool refuses to overwrite a file this session has not read.
    turns: [
      { text: "Reading the stub.", tool_use: { name: "Read", input: { file_path: "{{cwd}}/src/math.ts" } } },
      { tool_use: { name: "Write", input: { file_path: "{{cwd}}/src/math.ts", content: IMPLEMENTED } } },
      { text: "add returns the sum." },
    ],
  },
  verifier: {
    match: "Role: verifier",
    turns: [{ text: 'The criterion holds.\n```nax-verdict\n{"verdict": "pass"}\n```' }],
  },
};

describe("nax run with the real Claude Code CLI: one three-session TDD story", () => {
  let mock: MockAnthropic;
  let project: TestProject;
  let root: string;
  let result: { code: number; out: string; err: string };

  beforeAll(async () => {
    mock = startMockAnthropic({ scenarios: SCENARIOS });
    root = await mkdtemp(join(tmpdir(), "nax-tdd-e2e-"));
    project = await createTddProject([], {
      config: {
        agents: { claude: { command: realClaudePath() } },
        execution: { regressionGate: { mode: "disabled" } },
      },
    });
    const claudeEnv = await createClaudeTestEnv({ root, baseUrl: mock.url });
    // `bun test` is the story's test command: a `bun` on the PATH (the npm package's is a symlink in .bin).
    const bunDir = existsSync(join(dirname(process.execPath), "bun"))
      ? dirname(process.execPath)
      : resolve(import.meta.dir, "../../node_modules/.bin");
    claudeEnv.PATH = `${bunDir}:${claudeEnv.PATH}`;
    const proc = Bun.spawn([process.execPath, NAX, "run", "-f", "demo"], {
      cwd: project.dir,
      env: { ...claudeEnv, NAX_HOME: project.home, GIT_CONFIG_NOSYSTEM: "1", NO_COLOR: "1" },
      stdout: "pipe",
      stderr: "pipe",
      stdin: "ignore",
    });
    const [out, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    result = { out, err, code };
  }, 120_000);
  afterAll(async () => {
    await mock.stop();
    await project.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  test("exits 0 with the story passed and the test and implementation merged", async () => {
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect((await readStories(project))["US-001"]).toMatchObject({ status: "passed", attempts: 1 });
    expect(await readFile(join(project.dir, "test/math.test.ts"), "utf8")).toBe(RED_TEST);
    expect(await readFile(join(project.dir, "src/math.ts"), "utf8")).toBe(IMPLEMENTED);
  });

  test("the sessions ran as test writer, implementer and verifier, with RED and the verdict recorded", async () => {
    const events = await readEvents(project);
    expect(dataOf(events, "agent:session-completed").map((d) => [d.purpose, d.outcome])).toEqual([
      ["test-writer", "success"],
      ["implementer", "success"],
      ["verifier", "success"],
    ]);
    expect(dataOf(events, "tdd:red-checked")).toMatchObject([{ red: true, files: [{ file: "test/math.test.ts" }] }]);
    expect(dataOf(events, "tdd:verdict")).toMatchObject([{ source: "verifier", verdict: "pass" }]);
    expect(dataOf(events, "tdd:isolation-violation")).toEqual([]);
  });

  test("the model saw each role's line right after the task heading", () => {
    const firsts = mock
      .requests()
      .filter((r) => r.kind === "messages" && r.turn === 0)
      .map((r) => (r.userText ?? "").split("\n").find((line) => line.startsWith("Role: ")));
    expect(firsts).toEqual(["Role: test-writer", "Role: implementer", "Role: verifier"]);
  });
});
