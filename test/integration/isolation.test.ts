/**
 * Story isolation with the test-double agent in temp git repos: every
 * attempt works in its own worktree (trap 29: one story's leftovers never
 * fail the next), failed work is kept in an attempt ref and nothing of it
 * reaches the checkout, passed stories land through the merge queue, and a
 * change the user makes during the run is never overwritten (trap 34's
 * "never delete or overwrite unmerged work").
 */
import { afterEach, describe, expect, test } from "bun:test";
import { EventEmitter } from "node:events";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { worktreeRoot } from "../../src/isolation/names";
import { createSys } from "../../src/system/sys";
import { createTestProject, exists, type TestProject } from "../helpers/project";
import { readStories } from "../helpers/read-run";
import { until } from "../helpers/until";

let project: TestProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const write = (path: string, content: string) => ({ write: { path, content } });
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

function worktrees(p: TestProject): string[] {
  return p
    .git(["worktree", "list", "--porcelain"])
    .split("\n")
    .filter((line) => line.startsWith("worktree "));
}

describe("isolation: a failing story", () => {
  test("leaves nothing in the checkout, keeps its work in attempt refs, and the next independent story passes", async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "breaks things" },
        { id: "US-002", title: "independent" },
      ],
      // The suite fails while src/bad.txt exists: in a shared tree US-002 would fail on US-001's leftovers.
      files: { "check.sh": 'if [ -f src/bad.txt ]; then echo "FAIL bad.txt"; exit 1; fi\n' },
      config: { ...ONE_TRY, quality: { commands: { test: "sh check.sh" } } },
      script: {
        sessions: [
          { match: "# Task: US-001", actions: [write("src/bad.txt", "broken\n"), write("src/draft.txt", "wip\n")] },
          { match: "# Task: US-002", actions: [write("src/good.txt", "good\n")] },
        ],
      },
    });
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(1);
    const stories = await readStories(project);
    expect(stories["US-001"]).toMatchObject({ status: "failed", attempts: 2 });
    expect(stories["US-002"]).toMatchObject({ status: "passed", attempts: 1 });

    expect(await exists(join(project.dir, "src/bad.txt"))).toBe(false);
    expect(await exists(join(project.dir, "src/draft.txt"))).toBe(false);
    expect(await readFile(join(project.dir, "src/good.txt"), "utf8")).toBe("good\n");
    expect(project.git(["status", "--porcelain"])).toBe("");

    const refs = project.git(["for-each-ref", "--format=%(refname)", "refs/nax/attempts/"]).trim().split("\n");
    expect(refs).toEqual(["refs/nax/attempts/demo/US-001/1", "refs/nax/attempts/demo/US-001/2"]);
    expect(project.git(["show", "refs/nax/attempts/demo/US-001/1:src/bad.txt"])).toBe("broken\n");
    expect(project.git(["show", "refs/nax/attempts/demo/US-001/2:src/draft.txt"])).toBe("wip\n");
    expect(`${result.out}${result.err}`).toContain("git log -p refs/nax/attempts/demo/US-001/1");

    // Every attempt ran in a worktree of its own, never in the checkout.
    const cwds = (await project.claudeCalls()).filter((c) => c.prompt.includes("# Task:")).map((c) => c.cwd);
    expect(cwds).toHaveLength(3);
    expect(new Set(cwds).size).toBe(3);
    expect(cwds).not.toContain(project.dir);
    expect(worktrees(project)).toEqual([`worktree ${project.dir}`]);

    // The readers list the kept attempts with the command that shows them.
    const status = await project.nax(["status", "-f", "demo"]);
    expect(status.out).toContain("refs/nax/attempts/demo/US-001/2  (`git log -p refs/nax/attempts/demo/US-001/2`)");
    const diagnosis = await project.nax(["diagnose", "-f", "demo", "--json"]);
    expect(JSON.parse(diagnosis.out).keptWork.attempts).toEqual([
      {
        storyId: "US-001",
        ref: "refs/nax/attempts/demo/US-001/1",
        command: "git log -p refs/nax/attempts/demo/US-001/1",
      },
      {
        storyId: "US-001",
        ref: "refs/nax/attempts/demo/US-001/2",
        command: "git log -p refs/nax/attempts/demo/US-001/2",
      },
    ]);
  });

  test("the rerun does not refuse over the failed story's leftovers", async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "fails first" }],
      files: { "check.sh": 'if [ -f src/bad.txt ]; then echo "FAIL bad.txt"; exit 1; fi\n' },
      config: { ...ONE_TRY, quality: { commands: { test: "sh check.sh" } } },
      script: { default: { actions: [write("src/bad.txt", "broken\n")] } },
    });
    expect((await project.nax(["run", "-f", "demo"])).code).toBe(1);
    await project.setScript({ default: { actions: [write("src/fixed.txt", "fine\n")] } });
    const prd = await project.readJson<{ userStories: Record<string, unknown>[] }>("nax/features/demo/prd.json");
    // The user gives the story another go from scratch.
    const { acceptanceCriteria } = prd.userStories[0] ?? {};
    prd.userStories[0] = { id: "US-001", title: "fails first", acceptanceCriteria };
    await project.writeText("nax/features/demo/prd.json", `${JSON.stringify(prd, null, 2)}\n`);

    const rerun = await project.nax(["run", "-f", "demo"]);
    expect(rerun.err).not.toContain("uncommitted changes");
    expect(rerun.code).toBe(0);
    expect((await readStories(project))["US-001"]).toMatchObject({ status: "passed" });
    expect(await exists(join(project.dir, "src/bad.txt"))).toBe(false);
    expect(project.git(["status", "--porcelain"])).toBe("");
  });
});

describe("isolation: the merge queue", () => {
  test("two parallel stories editing different files both merge, and the checkout ends equal to what was merged", async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "file a" },
        { id: "US-002", title: "file b" },
      ],
      config: { quality: { commands: { test: "true" } } },
      script: {
        sessions: [
          { match: "# Task: US-001", actions: [write("a.txt", "a\n")] },
          { match: "# Task: US-002", actions: [write("b.txt", "b\n")] },
        ],
      },
    });
    const result = await project.nax(["run", "-f", "demo", "--parallel", "2"]);
    expect(result.code).toBe(0);
    const stories = await readStories(project);
    expect([stories["US-001"]?.status, stories["US-002"]?.status]).toEqual(["passed", "passed"]);
    expect(project.git(["status", "--porcelain"])).toBe("");
    expect(project.git(["show", "HEAD:a.txt"])).toBe("a\n");
    expect(project.git(["show", "HEAD:b.txt"])).toBe("b\n");
    const subjects = project.git(["log", "--format=%s"]).trim().split("\n");
    expect(subjects.slice(0, 2).sort()).toEqual(["feat(US-001): file a", "feat(US-002): file b"]);
    // Merged into the user's branch: no integration branch, no story branch, no worktree is left.
    expect(project.git(["branch", "--list", "nax/*"]).trim()).toBe("");
    expect(worktrees(project)).toEqual([`worktree ${project.dir}`]);
  });

  test("stories editing the same lines: one merges, the others re-run on the new base, then pass or fail merge-conflict with their branch kept", async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "one" },
        { id: "US-002", title: "two" },
        { id: "US-003", title: "three" },
      ],
      config: { quality: { commands: { test: "true" } } },
      script: {
        sessions: ["US-001", "US-002", "US-003"].map((id) => ({
          match: `# Task: ${id}`,
          actions: [write("shared.txt", `${id}\n`)],
        })),
      },
    });
    const result = await project.nax(["run", "-f", "demo", "--parallel", "3"]);
    const stories = await readStories(project);
    const passed = Object.values(stories).filter((s) => s.status === "passed");
    expect(passed.length).toBeGreaterThanOrEqual(2);
    let conflicts = 0;
    for (const story of Object.values(stories)) {
      const reasons = (story.priorFailures ?? []).map((f) => f.reason ?? "");
      conflicts += reasons.filter((r) => r.startsWith("merge-conflict")).length;
      if (story.status === "failed") {
        expect(reasons.at(-1)).toStartWith("merge-conflict");
        expect(project.git(["branch", "--list", `nax/demo/${story.id}`]).trim()).toBe(`nax/demo/${story.id}`);
      }
    }
    // Three stories wrote the same new file at once: at least two merges conflicted the first time.
    expect(conflicts).toBeGreaterThanOrEqual(2);
    // A re-run's prompt carries the conflict.
    const prompts = (await project.claudeCalls()).map((c) => c.prompt).filter((p) => p.includes("merge-conflict"));
    expect(prompts.length).toBeGreaterThanOrEqual(2);
    const content = await readFile(join(project.dir, "shared.txt"), "utf8");
    expect(passed.map((s) => `${s.id}\n`)).toContain(content);
    expect(result.code).toBe(passed.length === 3 ? 0 : 1);
    expect(worktrees(project)).toEqual([`worktree ${project.dir}`]);
  });
});

describe("isolation: the gate on the merged tree", () => {
  test("two stories that pass alone but break each other are caught after the merge, and the one merged second re-runs on the new base", async () => {
    const rerun = (id: string, file: string) => ({
      match: `/# Task: ${id}[\\s\\S]*tests fail on the integration branch/`,
      actions: [write(file, `${id} on the new base\n`)],
    });
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "writes a" },
        { id: "US-002", title: "writes b" },
      ],
      // No textual conflict (different files), but the suite fails when the two files say the same.
      files: {
        "check.sh": 'if [ -f a.txt ] && [ -f b.txt ] && cmp -s a.txt b.txt; then echo "FAIL same"; exit 1; fi\n',
      },
      config: { quality: { commands: { test: "sh check.sh" } } },
      script: {
        sessions: [
          rerun("US-001", "a.txt"),
          rerun("US-002", "b.txt"),
          { match: "# Task: US-001", actions: [write("a.txt", "same\n")] },
          { match: "# Task: US-002", actions: [write("b.txt", "same\n")] },
        ],
      },
    });
    const result = await project.nax(["run", "-f", "demo", "--parallel", "2"]);
    expect(result.code).toBe(0);
    const stories = Object.values(await readStories(project));
    expect(stories.map((s) => s.status)).toEqual(["passed", "passed"]);
    const rerunStories = stories.filter((s) =>
      (s.priorFailures ?? []).some((f) => (f.reason ?? "").includes("tests fail on the integration branch")),
    );
    expect(rerunStories).toHaveLength(1);
    expect(rerunStories[0]?.attempts).toBe(2);
    const a = await readFile(join(project.dir, "a.txt"), "utf8");
    const b = await readFile(join(project.dir, "b.txt"), "utf8");
    expect(a).not.toBe(b);
    expect(project.git(["status", "--porcelain"])).toBe("");
  });
});

describe("isolation: dependencies inside worktrees", () => {
  test("the checkout's ignored node_modules and .venv are linked into each worktree and never committed", async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "needs deps" }],
      files: {
        ".gitignore": "node_modules/\n.venv/\n",
        "node_modules/dep/index.js": "module.exports = 42;\n",
        ".venv/bin/activate": "# a virtualenv\n",
      },
      config: { quality: { commands: { test: "test -f node_modules/dep/index.js && test -f .venv/bin/activate" } } },
      script: { default: { actions: [write("src/uses-dep.js", "require('dep');\n")] } },
    });
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    expect(project.git(["show", "--name-only", "--format=", "HEAD"]).trim().split("\n")).toEqual([
      "nax/features/demo/prd.json",
      "src/uses-dep.js",
    ]);
    const exclude = await readFile(join(project.dir, ".git/info/exclude"), "utf8");
    expect(exclude).toContain("/node_modules\n");
    expect(exclude).toContain("/.venv\n");
    // Removing the worktree removed the link, never what it pointed to.
    expect(await readFile(join(project.dir, "node_modules/dep/index.js"), "utf8")).toBe("module.exports = 42;\n");
    expect(project.git(["status", "--porcelain"])).toBe("");
  });
});

describe("isolation: the user's checkout", () => {
  test("a change the user makes during the run is never overwritten; the run says how to take the stories", async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "edits a" }],
      files: { "a.txt": "original\n" },
      config: { quality: { commands: { test: "true" } } },
    });
    // While the agent works in its worktree, "the user" edits the same file in the checkout.
    const userFile = join(project.dir, "a.txt");
    await project.setScript({
      default: { actions: [write("a.txt", "from the story\n"), { run: `echo "mine" > '${userFile}'` }] },
    });
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    expect(await readFile(userFile, "utf8")).toBe("mine\n");
    expect(project.git(["log", "-1", "--format=%s", "main"]).trim()).toBe("initial");
    expect(project.git(["show", "nax/demo/integration:a.txt"])).toBe("from the story\n");
    expect(`${result.out}${result.err}`).toContain(
      "git stash && git merge --ff-only nax/demo/integration && git stash pop",
    );
  });
});

describe("isolation: interrupting parallel lanes", () => {
  test("SIGINT with two lanes at work exits 130 and keeps each lane's work in its attempt ref; no worktree is left", async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "one" },
        { id: "US-002", title: "two" },
      ],
      config: { quality: { commands: { test: "true" } } },
      script: {
        sessions: ["US-001", "US-002"].map((id) => ({
          match: `# Task: ${id}`,
          actions: [write(`${id}.txt`, `half of ${id}\n`), { hang: true as const }],
        })),
      },
    });
    const p = project;
    const target = new EventEmitter();
    const running = p.nax(["run", "-f", "demo", "--parallel", "2"], { process: { target, exit: () => undefined } });
    await until(
      "both lanes' agents to write their files",
      async () => {
        const calls = (await p.claudeCalls()).filter((c) => c.prompt.includes("# Task:"));
        const written = await Promise.all(
          calls.map((c) => exists(join(c.cwd, `${/# Task: (US-\d+)/.exec(c.prompt)?.[1]}.txt`))),
        );
        return calls.length === 2 && written.every(Boolean);
      },
      20_000,
      20,
    );
    target.emit("SIGINT");
    const result = await running;
    expect(result.code).toBe(130);
    for (const id of ["US-001", "US-002"]) {
      expect(p.git(["show", `refs/nax/attempts/demo/${id}/1:${id}.txt`])).toBe(`half of ${id}\n`);
      expect(await exists(join(p.dir, `${id}.txt`))).toBe(false);
    }
    const stories = await readStories(p);
    expect([stories["US-001"]?.status, stories["US-002"]?.status]).toEqual(["pending", "pending"]);
    expect(worktrees(p)).toEqual([`worktree ${p.dir}`]);
  });
});

describe("isolation: git's housekeeping", () => {
  test("no story commit starts git's automatic maintenance; the run asks for `git gc --auto` once, at its end", async () => {
    project = await createTestProject({
      stories: ["US-001", "US-002", "US-003"].map((id) => ({ id, title: `story ${id}` })),
      config: { quality: { commands: { test: "true" } } },
      script: { default: { actions: [{ append: { path: "src/file.txt", content: "x\n" } }] } },
    });
    const p = project;
    const trace = join(p.dir, "..", "git-trace.log");
    const sys = createSys({ env: { ...p.env, GIT_TRACE: trace }, naxHome: p.home });
    const result = await p.nax(["run", "-f", "demo"], { sys });
    expect(result.code).toBe(0);
    const ran = await readFile(trace, "utf8");
    // Six commits (each story's, then its landing) and not one housekeeping run among them.
    expect(ran.match(/built-in: git commit /g)?.length).toBe(6);
    expect(ran).not.toContain("maintenance run");
    expect(ran.match(/built-in: git gc --auto/g)?.length).toBe(1);
    const gcAt = ran.lastIndexOf("git gc --auto");
    expect(ran.lastIndexOf("built-in: git commit ")).toBeLessThan(gcAt);
  });
});

describe("isolation: the integration worktree", () => {
  test("is checked out beside the first lanes; when that fails no session starts and the lane's own worktree and branch are taken back", async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "one" }],
      config: { quality: { commands: { test: "true" } } },
      script: { sessions: [{ match: "# Task: US-001", actions: [write("src/one.txt", "one\n")] }] },
    });
    // A file where the integration worktree goes: git refuses to add a worktree there.
    const blocker = join(worktreeRoot(project.home, project.dir), "demo", "integration");
    await mkdir(dirname(blocker), { recursive: true });
    await writeFile(blocker, "not a folder\n");
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).not.toBe(0);
    expect(`${result.out}${result.err}`).toContain("demo/integration' already exists");
    expect((await project.claudeCalls()).filter((c) => c.prompt.includes("# Task:"))).toEqual([]);
    expect(worktrees(project)).toHaveLength(1);
    expect(project.git(["for-each-ref", "--format=%(refname)", "refs/heads/nax/demo/US-001"])).toBe("");
    expect(await readFile(blocker, "utf8")).toBe("not a folder\n");
    // No attempt was spent: with the path free, the rerun passes the story on its first attempt.
    expect((await readStories(project))["US-001"]).toMatchObject({ attempts: 0 });
    await rm(blocker);
    expect((await project.nax(["run", "-f", "demo"])).code).toBe(0);
    expect((await readStories(project))["US-001"]).toMatchObject({ status: "passed", attempts: 1 });
  });
});

describe("isolation: the PRD stays out of attempts", () => {
  const SEEN = "nax/features/demo/prd.json";
  // What the agent's own shell sees in its worktree: the PRD's file, and git's view of the tree.
  const look = `p=$(test -e ${SEEN} && echo present || echo absent); n=$(git status --porcelain | wc -l); mkdir -p src; printf '%s\\n%s\\n' "$p" $n > src/seen.txt`;
  const script = {
    sessions: [
      { match: "# Task: US-001", actions: [{ run: look }] },
      { match: "# Task: US-002", actions: [write("src/two.txt", "2\n")] },
    ],
  };
  const stories = [
    { id: "US-001", title: "looks around" },
    { id: "US-002", title: "after it", dependencies: ["US-001"] },
  ];

  test("an attempt's worktree holds no prd.json and a clean tree; every landing commits the PRD; the repository's config is untouched", async () => {
    project = await createTestProject({ stories, config: { quality: { commands: { test: "true" } } }, script });
    const configBefore = project.git(["config", "--list", "--local"]);
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    // Absent, and git does not see it as deleted (skip-worktree), so the agent's tree is clean.
    expect(await readFile(join(project.dir, "src/seen.txt"), "utf8")).toBe("absent\n0\n");
    // The story states are still committed with each story, on the integration branch and so in the checkout.
    const committed = JSON.parse(project.git(["show", `HEAD:${SEEN}`])) as { userStories: { status: string }[] };
    expect(committed.userStories.map((s) => s.status)).toEqual(["passed", "passed"]);
    expect(project.git(["show", `HEAD~1:${SEEN}`])).toContain('"status": "passed"');
    expect(project.git(["status", "--porcelain"])).toBe("");
    // Given to each checkout's call only: no sparse setting (or worktree config) is left in the repository.
    expect(project.git(["config", "--list", "--local"])).toBe(configBefore);
  });

  test("a repository that is a sparse checkout of its own keeps its patterns: the PRD is checked out as before", async () => {
    project = await createTestProject({ stories, config: { quality: { commands: { test: "true" } } }, script });
    project.git(["config", "core.sparseCheckout", "true"]);
    const result = await project.nax(["run", "-f", "demo"]);
    expect(result.code).toBe(0);
    expect(await readFile(join(project.dir, "src/seen.txt"), "utf8")).toBe("present\n0\n");
  });
});
