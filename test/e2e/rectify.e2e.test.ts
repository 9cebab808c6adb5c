/**
 * One rectify round trip end to end: `bin/nax.ts run` as a process, the REAL
 * Claude Code CLI as the agent, and the loopback model mock. The story's
 * scripted session writes a wrong answer, verification fails, and the rectify
 * session (picked by the `## Rectification round` text nax puts in its prompt)
 * fixes it. Two real CLI sessions (each ~0.6-2 s and ~300 MB), no more.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createClaudeTestEnv, realClaudePath } from "../helpers/claude-env";
import { type MockAnthropic, startMockAnthropic } from "../helpers/mock-anthropic";
import { createTestProject, type TestProject } from "../helpers/project";
import { dataOf, readEvents, readStatus, readStories } from "../helpers/read-run";

const NAX = resolve(import.meta.dir, "../../bin/nax.ts");

/**
 * The agent command: the real CLI, with a copy of its stdout kept in a log so
 * the test can read the `result` events the CLI itself printed. Buffering the
 * stream costs nothing here: the sessions are short and scripted.
 */
function teeWrapper(log: string): string {
  return `#!/bin/sh
out=$(mktemp)
"${realClaudePath()}" "$@" > "$out"
code=$?
cat "$out"
cat "$out" >> "${log}"
rm -f "$out"
exit $code
`;
}

const CHECK_SH = `answer=$(cat src/answer.txt 2>/dev/null)
[ "$answer" = 42 ] || { echo "FAIL src/answer.txt says '$answer', expected 42"; exit 1; }
echo "ok"
`;

function writeAnswer(value: string) {
  return { name: "Write", input: { file_path: "{{cwd}}/src/answer.txt", content: `${value}\n` } };
}

const SCENARIOS = {
  story: {
    match: "# Task: US-001",
    turns: [{ text: "Writing the answer.", tool_use: writeAnswer("41") }, { text: "The answer is written." }],
  },
  rectify: {
    match: ["# Task: US-001", "## Rectification round"],
    // The CLI's Write tool refuses to overwrite a file this session has not read.
    turns: [
      { text: "The check wants 42.", tool_use: { name: "Read", input: { file_path: "{{cwd}}/src/answer.txt" } } },
      { tool_use: writeAnswer("42") },
      { text: "Fixed: the answer is 42." },
    ],
  },
};

describe("nax run with the real Claude Code CLI: a failing first session repaired by one rectify round", () => {
  let mock: MockAnthropic;
  let project: TestProject;
  let result: { code: number; out: string; err: string };
  let cliLog: string;

  beforeAll(async () => {
    mock = startMockAnthropic({ scenarios: SCENARIOS });
    const root = await mkdtemp(join(tmpdir(), "nax-rectify-e2e-"));
    cliLog = join(root, "cli-stdout.jsonl");
    const wrapper = join(root, "claude");
    await writeFile(wrapper, teeWrapper(cliLog), { mode: 0o755 });
    project = await createTestProject({
      stories: [{ id: "US-001", title: "Write the answer", acceptanceCriteria: ["src/answer.txt says 42"] }],
      files: { "check.sh": CHECK_SH },
      config: {
        agents: { claude: { command: wrapper } },
        quality: { commands: { test: "sh check.sh" } },
        execution: { regressionGate: { mode: "disabled" } },
      },
    });
    const claudeEnv = await createClaudeTestEnv({ root, baseUrl: mock.url });
    const proc = Bun.spawn([process.execPath, NAX, "run", "-f", "demo", "--skip-precheck"], {
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
  }, 60_000);
  afterAll(async () => {
    await mock.stop();
    await project.cleanup();
    await rm(dirname(cliLog), { recursive: true, force: true });
  });

  test("exits 0 with the story passed on its first attempt", async () => {
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect((await readStatus(project)).run.status).toBe("completed");
    const story = (await readStories(project))["US-001"];
    expect(story).toMatchObject({ status: "passed", attempts: 1 });
    expect(story?.escalations ?? []).toEqual([]);
    expect(project.git(["show", "HEAD:src/answer.txt"])).toBe("42\n");
  });

  test("the event log holds one rectify pair between a failing and a passing verification", async () => {
    const events = await readEvents(project);
    expect(dataOf(events, "rectify:started")).toEqual([{ storyId: "US-001", attempt: 1, failingTests: 0 }]);
    expect(dataOf(events, "rectify:completed")).toEqual([{ storyId: "US-001", attempt: 1, passed: true }]);
    expect(dataOf(events, "verify:completed").map((d) => d.passed)).toEqual([false, true]);
    expect(dataOf(events, "agent:session-completed").map((d) => [d.purpose, d.outcome])).toEqual([
      ["implement", "success"],
      ["rectify", "success"],
    ]);
  });

  test("the model saw the rectify prompt with the failing check's output", () => {
    const prompts = mock
      .requests()
      .filter((r) => r.kind === "messages" && r.turn === 0)
      .map((r) => r.userText ?? "");
    const rectify = prompts.find((p) => p.includes("## Rectification round 1"));
    expect(rectify).toContain("FAIL src/answer.txt says '41', expected 42");
  });

  test("the CLI's real total_cost_usd of both sessions is summed into the status file's cost", async () => {
    const printed = (await readFile(cliLog, "utf8"))
      .split("\n")
      // NDJSON events only: the preflight's `claude auth status` prints pretty JSON through the same wrapper.
      .filter((line) => line.startsWith('{"'))
      .map((line) => JSON.parse(line) as { type?: string; total_cost_usd?: number })
      .filter((event) => event.type === "result")
      .map((event) => event.total_cost_usd);
    expect(printed).toHaveLength(2);
    for (const cost of printed) expect(cost).toBeGreaterThan(0);
    const events = await readEvents(project);
    expect(dataOf(events, "agent:session-completed").map((d) => d.costUsd)).toEqual(printed);
    const total = (printed[0] ?? 0) + (printed[1] ?? 0);
    const status = await readStatus(project);
    expect(status.cost.spent).toBeCloseTo(total, 12);
    expect(dataOf(events, "story:completed")[0]?.costUsd).toBeCloseTo(total, 12);
  });
});
