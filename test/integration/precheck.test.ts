/**
 * `nax precheck` and the checks `nax run` shares with it: a failing base
 * suite fails the precheck (exit 1) and refuses the run with the same words,
 * writing nothing; `--skip-precheck` lets the run start anyway.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { createTestProject, exists, type TestProject } from "../helpers/project";

interface JsonReport {
  workdir: string;
  feature?: string;
  exitCode: number;
  checks: Array<{ name: string; status: string; detail: string; fix?: string }>;
}

const STORIES = [{ id: "US-001", title: "Add the greeting" }];

describe("a project whose base test suite fails", () => {
  let project: TestProject;

  beforeAll(async () => {
    project = await createTestProject({
      stories: STORIES,
      config: { quality: { commands: { test: "sh check.sh" } } },
      files: { "check.sh": "echo 'FAIL greeting > says hello'\nexit 1\n" },
      script: { default: { actions: [{ write: { path: "src/hello.txt", content: "hello\n" } }] } },
    });
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("nax precheck reports the test command failed on the base commit and exits 1", async () => {
    const result = await project.nax(["precheck", "-f", "demo"]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^fail {2}test command: `sh check\.sh` fails on the base commit \(exit 1\)/m);
    expect(result.out).toContain("nax would blame the first story");
    expect(result.out).toMatch(/^pass {2}git repository: /m);
    expect(result.out).toMatch(/^pass {2}agent: claude /m);
    expect(result.out).toContain("1 check failed");
  });

  test("nax run refuses the same project with the same message, before anything is written", async () => {
    const precheck = await project.nax(["precheck", "-f", "demo"]);
    const line = precheck.out.split("\n").find((l) => l.startsWith("fail  test command:"));
    expect(line).toBeDefined();
    const before = await project.snapshot();
    const run = await project.nax(["run", "-f", "demo"]);
    expect(run.code).toBe(1);
    expect(run.err).toContain("precheck failed; no story was started");
    expect(run.err).toContain((line as string).slice("fail  ".length));
    expect((await project.claudeCalls()).filter((call) => call.prompt.includes("# Task:"))).toEqual([]);
    const after = await project.snapshot();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  });

  test("nax run --skip-precheck starts the story anyway", async () => {
    const run = await project.nax(["run", "-f", "demo", "--skip-precheck", "--max-iterations", "1"]);
    expect(run.err).not.toContain("precheck failed");
    const prompts = (await project.claudeCalls()).filter((call) => call.prompt.includes("# Task: US-001"));
    expect(prompts.length).toBeGreaterThan(0);
  });
});

describe("a project ready to run", () => {
  let project: TestProject;

  beforeAll(async () => {
    project = await createTestProject({ stories: STORIES, config: { quality: { commands: { test: "true" } } } });
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("nax precheck passes every check and exits 0", async () => {
    const result = await project.nax(["precheck"]);
    expect(result.code).toBe(0);
    expect(result.out).not.toMatch(/^fail/m);
    expect(result.out).toContain("nothing stops `nax run`");
  });

  test("--json prints every check with its status, detail and fix", async () => {
    const result = await project.nax(["precheck", "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as JsonReport;
    expect(report.exitCode).toBe(0);
    expect(report.feature).toBe("demo");
    expect(report.workdir).toBe(project.dir);
    expect(report.checks.map((c) => c.name)).toEqual([
      "config and PRD",
      "git repository",
      "working tree",
      "lock",
      "agent",
      "git identity",
      "test command",
    ]);
    for (const c of report.checks) {
      expect(["pass", "warn", "fail"]).toContain(c.status);
      expect(c.detail.length).toBeGreaterThan(0);
    }
  });

  test("a live lock fails the lock check; a stale one only warns", async () => {
    const lock = (pid: number) =>
      JSON.stringify({
        pid,
        hostname: hostname(),
        runId: "run-x",
        feature: "demo",
        startedAt: "2026-01-01T00:00:00.000Z",
      });
    await project.writeText("nax.lock", lock(process.pid));
    try {
      const live = JSON.parse((await project.nax(["precheck", "--json"])).out) as JsonReport;
      expect(live.exitCode).toBe(1);
      expect(live.checks.find((c) => c.name === "lock")?.status).toBe("fail");
      await project.writeText("nax.lock", lock(999_999));
      const stale = JSON.parse((await project.nax(["precheck", "--json"])).out) as JsonReport;
      expect(stale.checks.find((c) => c.name === "lock")?.status).toBe("warn");
      expect(stale.exitCode).toBe(0);
    } finally {
      await project.sys.fs.remove(`${project.dir}/nax.lock`);
    }
  });

  test("a config with an unknown key fails the config check with exit 2", async () => {
    const good = await project.readJson("nax/config.json");
    await project.writeText("nax/config.json", JSON.stringify({ ...good, execution: { maxIteration: 3 } }));
    try {
      const result = await project.nax(["precheck"]);
      expect(result.code).toBe(2);
      expect(result.out).toMatch(/^fail {2}config and PRD: .*"maxIteration"/m);
    } finally {
      await project.writeText("nax/config.json", JSON.stringify(good, null, 2));
    }
  });

  test("uncommitted changes fail the tree check; with --allow-dirty they only warn", async () => {
    await project.writeText("stray.txt", "mine\n");
    try {
      const dirty = JSON.parse((await project.nax(["precheck", "--json"])).out) as JsonReport;
      expect(dirty.exitCode).toBe(1);
      expect(dirty.checks.find((c) => c.name === "working tree")).toMatchObject({ status: "fail" });
      expect(dirty.checks.find((c) => c.name === "working tree")?.detail).toContain("stray.txt");
      const allowed = JSON.parse((await project.nax(["precheck", "--json", "--allow-dirty"])).out) as JsonReport;
      expect(allowed.exitCode).toBe(0);
      expect(allowed.checks.find((c) => c.name === "working tree")).toMatchObject({ status: "warn" });
    } finally {
      await project.sys.fs.remove(`${project.dir}/stray.txt`);
    }
  });

  test("a repository without user.name and user.email warns that nax signs its own commits", async () => {
    project.git(["config", "--unset", "user.name"]);
    project.git(["config", "--unset", "user.email"]);
    try {
      const report = JSON.parse((await project.nax(["precheck", "--json"])).out) as JsonReport;
      const identity = report.checks.find((c) => c.name === "git identity");
      expect(identity?.status).toBe("warn");
      expect(identity?.detail).toContain("nax <nax@localhost>");
    } finally {
      project.git(["config", "user.name", "Test User"]);
      project.git(["config", "user.email", "test@example.com"]);
    }
  });
});

describe("a project with no test command", () => {
  test("nax precheck fails the config check with the words nax run refuses it with, exit 2 for both", async () => {
    const project = await createTestProject({ stories: STORIES });
    try {
      const config = await project.readJson<{ quality: { commands?: Record<string, string> } }>("nax/config.json");
      expect(config.quality.commands?.test).toBeUndefined();
      const precheck = await project.nax(["precheck"]);
      expect(precheck.code).toBe(2);
      expect(precheck.out).toMatch(/^fail {2}config and PRD: .*quality\.commands\.test is not set/m);
      const run = await project.nax(["run"]);
      expect(run.code).toBe(2);
      expect(run.err).toContain("quality.commands.test is not set, so nax cannot verify any story");
    } finally {
      await project.cleanup();
    }
  });
});

describe("a project whose balanced tier names an agent that is not installed", () => {
  test("nax precheck fails the agent check naming that agent, in the words nax run refuses with", async () => {
    const project = await createTestProject({
      stories: STORIES,
      config: {
        quality: { commands: { test: "true" } },
        models: { fast: {}, balanced: { agent: "codex" }, powerful: {} },
        agents: { codex: { command: "/nonexistent/codex" } },
      },
    });
    try {
      const precheck = await project.nax(["precheck"]);
      expect(precheck.code).toBe(1);
      const line = /^fail {2}agent: (.*)$/m.exec(precheck.out)?.[1];
      expect(line).toContain('"/nonexistent/codex"');
      const run = await project.nax(["run", "-f", "demo"]);
      expect(run.code).not.toBe(0);
      expect(run.err).toContain('"/nonexistent/codex"');
      expect(await project.claudeCalls()).toEqual([]);
    } finally {
      await project.cleanup();
    }
  });
});

describe("the precheck runs while the agent CLI is checked", () => {
  test("a run refused by the agent check stops the precheck's test command, leaves no process of it, and says the agent's reason", async () => {
    // A unique argument to find the test command's process by; it never finishes on its own within the test.
    const marker = `${Math.floor(Math.random() * 1e6) + 1000}.5`;
    const box = await mkdtemp(join(tmpdir(), "nax-slow-agent-"));
    // An agent CLI whose version answer takes a second and then fails: the precheck starts meanwhile.
    const agent = join(box, "claude");
    await writeFile(agent, "#!/bin/sh\nsleep 1\necho 'broken install' >&2\nexit 3\n");
    await chmod(agent, 0o755);
    const project = await createTestProject({
      stories: STORIES,
      config: {
        quality: { commands: { test: `touch ${join(box, "started")}; sleep ${marker}` } },
        agents: { claude: { command: agent } },
      },
    });
    const alive = () =>
      Bun.spawnSync(["pgrep", "-f", `sleep ${marker}`])
        .stdout.toString()
        .trim()
        .split("\n")
        .filter(Boolean);
    try {
      const run = await project.nax(["run", "-f", "demo"]);
      expect(run.code).not.toBe(0);
      expect(run.err).toContain("broken install");
      expect(run.err).not.toContain("precheck");
      // The test command had started beside the agent check, and was stopped with the refusal.
      expect(await exists(join(box, "started"))).toBe(true);
      expect(alive()).toEqual([]);
      expect(await exists(join(project.dir, "nax", "status.json"))).toBe(false);
    } finally {
      await project.cleanup();
      await rm(box, { recursive: true, force: true });
    }
  });
});
