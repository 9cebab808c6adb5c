import { afterEach, describe, expect, test } from "bun:test";
import { readFile, utimes } from "node:fs/promises";
import { join } from "node:path";
import { EventLineSchema } from "../../src/state/event-line";
import { StatusFileSchema } from "../../src/state/status-file";
import { createSys } from "../../src/system/sys";
import { createTestProject, exists, type TestProject } from "../helpers/project";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

type Stories = { userStories: Record<string, unknown>[] };

async function status(p: TestProject) {
  return StatusFileSchema.parse(await p.readJson("nax/status.json"));
}

async function logTypes(p: TestProject, runId: string) {
  const text = await readFile(join(p.dir, "nax/features/demo/runs", `${runId}.jsonl`), "utf8");
  return text
    .trim()
    .split("\n")
    .map((line) => EventLineSchema.parse(JSON.parse(line)).type);
}

describe("how runs end", () => {
  test("a story that exhausts its tiers fails once, escalating between them, and its dependant never starts", async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "impossible" },
        { id: "US-002", title: "after it", dependencies: ["US-001"] },
      ],
      files: { "check.sh": "exit 1\n" },
      config: {
        quality: { commands: { test: "sh check.sh" } },
        autoMode: {
          escalation: {
            tierOrder: [
              { tier: "fast", attempts: 1 },
              { tier: "balanced", attempts: 1 },
            ],
          },
        },
        execution: { rectification: { maxRetries: 0 } },
      },
    });
    const result = await project.nax(["run", "-f", "demo", "--skip-precheck"]);
    expect(result.code).toBe(1);
    const final = await status(project);
    expect(final.run.status).toBe("failed");
    expect(final.run.exitReason).toBe("story US-001 failed; not started because a dependency cannot pass: US-002");
    const prd = await project.readJson<Stories>("nax/features/demo/prd.json");
    expect(prd.userStories[0]).toMatchObject({
      status: "failed",
      attempts: 2,
      escalations: [{ fromTier: "fast", toTier: "balanced" }],
    });
    expect(prd.userStories[1]?.status ?? "pending").toBe("pending");
    expect((await project.claudeCalls()).map((c) => c.model)).toEqual(["haiku", "sonnet"]);
    const types = await logTypes(project, final.run.id);
    expect(types.filter((t) => t === "story:escalated")).toHaveLength(1);
    expect(types.filter((t) => t === "story:failed")).toHaveLength(1);
  });

  test("an agent that cannot authenticate ends the run failed with its message and spends no attempt", async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "one" }],
      config: { quality: { commands: { test: "true" } } },
      script: {
        default: {
          result: { is_error: true, api_error_status: 401, result: "Invalid API key · Please run /login", exitCode: 1 },
        },
      },
    });
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(1);
    const final = await status(project);
    expect(final.run.status).toBe("failed");
    expect(final.run.exitReason).toContain("the agent cannot be used");
    const prd = await project.readJson<Stories>("nax/features/demo/prd.json");
    expect(prd.userStories[0]).toMatchObject({ status: "pending", attempts: 0 });
  });

  test("a missing agent is reported with the install command before any story starts, and nothing is written", async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "one" }],
      config: { agents: { claude: { command: "/nonexistent/claude" } }, quality: { commands: { test: "true" } } },
    });
    const before = await project.snapshot();
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(1);
    expect(result.err).toContain("npm install -g @anthropic-ai/claude-code");
    expect(await project.snapshot()).toEqual(before);
  });

  test("the checks of a refused run only read the checkout: git's index is not refreshed behind the user's back", async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "one" }],
      files: { "src/app.txt": "app\n" },
      config: { agents: { claude: { command: "/nonexistent/claude" } }, quality: { commands: { test: "true" } } },
    });
    // A tracked file touched without a change: a plain `git status` would refresh the index and write it back.
    const tracked = join(project.dir, "src", "app.txt");
    const earlier = new Date(Date.now() - 3_600_000);
    await utimes(tracked, earlier, earlier);
    const index = await readFile(join(project.dir, ".git", "index"));
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(1);
    expect(Buffer.compare(await readFile(join(project.dir, ".git", "index")), index)).toBe(0);
    expect(await exists(join(project.dir, ".git", "index.lock"))).toBe(false);
  });

  test("an agent that is not logged in is reported with how to log in before any story starts, and nothing is written", async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "one" }],
      config: { quality: { commands: { test: "true" } } },
    });
    const before = await project.snapshot();
    const sys = createSys({ env: { ...project.env, NAX_FAKE_CLAUDE_LOGGED_OUT: "1" }, naxHome: project.home });
    const result = await project.nax(["run", "-f", "demo"], { sys });
    expect(result.code).toBe(1);
    expect(result.err).toContain("not logged in");
    expect(result.err).toContain("claude auth login");
    expect(await project.claudeCalls()).toHaveLength(0);
    expect(await project.snapshot()).toEqual(before);
  });

  test("uncommitted changes of the user's own stop the run before anything is written; --allow-dirty commits them with the first story", async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "one" }],
      config: { quality: { commands: { test: "true" } } },
    });
    await project.writeText("notes.md", "my own work in progress\n");
    const before = await project.snapshot();
    const refused = await project.nax(["run", "-f", "demo"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("notes.md");
    expect(refused.err).toContain("--allow-dirty");
    expect(await project.claudeCalls()).toHaveLength(0);
    expect(await project.snapshot()).toEqual(before);

    const allowed = await project.nax(["run", "-f", "demo", "--allow-dirty"]);
    expect(allowed.code).toBe(0);
    expect(project.git(["show", "--name-only", "--format=", "HEAD"])).toContain("notes.md");
    expect(project.git(["status", "--porcelain"])).toBe("");
  });

  test("a failing deferred regression gate fails the run that passed every story", async () => {
    // The third run of the suite (after two stories' verifications) fails: the gate's full run.
    const check =
      'n=$(cat "$(git rev-parse --git-common-dir)/../../suite-runs" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$(git rev-parse --git-common-dir)/../../suite-runs"\n[ "$n" -lt 3 ]\n';
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "one" },
        { id: "US-002", title: "two" },
      ],
      files: { "check.sh": check },
      config: {
        quality: { commands: { test: "sh check.sh" } },
        execution: { regressionGate: { mode: "deferred" }, smartTestRunner: { enabled: false } },
      },
      script: { default: { actions: [{ append: { path: "src/x.txt", content: "x\n" } }] } },
    });
    const result = await project.nax(["run", "-f", "demo", "--skip-precheck"]);
    expect(result.code).toBe(1);
    const final = await status(project);
    expect(final.run.status).toBe("failed");
    expect(final.run.exitReason).toContain("deferred regression gate failed");
    expect(final.progress.passed).toBe(2);
    const types = await logTypes(project, final.run.id);
    expect(types.filter((t) => t === "regression:detected")).toHaveLength(1);
    expect(types.at(-1)).toBe("run:completed");
  });
});
