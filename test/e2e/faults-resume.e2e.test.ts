/**
 * Fault suite, kill -9 and resume: nax is SIGKILLed mid-story (nothing of it
 * can run), the readers must still call the run crashed, and the next run must
 * replace the stale lock, keep what passed, pick the interrupted story up with
 * its attempts and prior failures, and keep the half-done work the killed
 * attempt left in its worktree in an attempt ref, instead of committing it as
 * a pass or deleting it.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parsePrd } from "../../src/prd/load";
import type { Prd } from "../../src/prd/schema";
import { StatusFileSchema } from "../../src/state/status-file";
import type { FakeClaudeInvocation } from "../fakes/fake-claude-script";
import { type NaxExit, runNax, startNax, until } from "../helpers/nax-process";
import { createTestProject, exists, type TestProject } from "../helpers/project";

// Real processes on a loaded 2-core machine: bun's 5 s default is too tight for a run and its rerun.
setDefaultTimeout(60_000);

const PRD = "nax/features/demo/prd.json";

async function readPrd(project: TestProject): Promise<Prd> {
  return parsePrd(await Bun.file(join(project.dir, PRD)).text(), PRD);
}

function sessionsOf(calls: FakeClaudeInvocation[], storyId: string): FakeClaudeInvocation[] {
  return calls.filter((call) => call.prompt.includes(`Task: ${storyId}`));
}

describe("kill -9 of nax mid-story, then a rerun", () => {
  let project: TestProject;
  let firstRunId: string;
  let afterKill: Prd;
  let rerun: NaxExit;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "one" },
        { id: "US-002", title: "two", dependencies: ["US-001"] },
        { id: "US-003", title: "three", dependencies: ["US-002"] },
      ],
      config: { quality: { commands: { test: "true" } } },
      script: {
        sessions: [
          { match: "Task: US-001", actions: [{ write: { path: "src/one.txt", content: "one\n" } }] },
          { name: "two-fails", match: "Task: US-002", times: 1, result: { is_error: true, result: "two broke" } },
          {
            // Killed with nax: orphaned, it ends by itself once its sleep is over and its pipe is gone.
            name: "two-interrupted",
            match: "Task: US-002",
            times: 1,
            actions: [{ write: { path: "src/two-draft.txt", content: "half done\n" } }, { sleep: 8000 }],
          },
          { name: "two-done", match: "Task: US-002", actions: [{ write: { path: "src/two.txt", content: "two\n" } }] },
          { match: "Task: US-003", actions: [{ write: { path: "src/three.txt", content: "three\n" } }] },
        ],
      },
    });
    const p = project;
    const first = startNax(p, ["run", "-f", "demo"]);
    await until(
      "the second US-002 session to write its half-done file in its worktree",
      async () => {
        const call = (await p.claudeCalls()).find((c) => c.session === "two-interrupted");
        // Its whole content, not the file's existence: a kill between the create and the write would keep an
        // empty draft, and the test would then blame the adoption for the kill's timing.
        const draft =
          call === undefined
            ? undefined
            : await readFile(join(call.cwd, "src/two-draft.txt"), "utf8").catch(() => undefined);
        return draft === "half done\n";
        // Three sessions and their gates come first: on a loaded 2-core machine that outlasts until's 15 s default.
      },
      45_000,
    );
    first.kill("SIGKILL");
    await first.exited;
    firstRunId = StatusFileSchema.parse(await p.readJson("nax/status.json")).run.id;
    afterKill = await readPrd(p);
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("after the kill, prd.json is valid: US-001 passed, US-002 in progress with its first attempt and failure", () => {
    const [one, two, three] = afterKill.userStories;
    expect(one).toMatchObject({ status: "passed", attempts: 1 });
    expect(two).toMatchObject({ status: "in-progress", attempts: 1 });
    expect(two?.priorFailures).toHaveLength(1);
    expect(three).toMatchObject({ status: "pending", attempts: 0 });
  });

  test("nax status, nax diagnose and nax runs all call the killed run crashed; diagnose names the story and the unlock fix", async () => {
    const status = JSON.parse((await runNax(project, ["status", "--json"])).out);
    expect(status.run).toMatchObject({ runId: firstRunId, status: "crashed", pidAlive: false });
    const diagnosis = JSON.parse((await runNax(project, ["diagnose", "--json"])).out);
    expect(diagnosis.run).toMatchObject({ state: "crashed", runId: firstRunId, currentStoryId: "US-002" });
    expect(diagnosis.lock.state).toBe("stale");
    expect(diagnosis.recommendations.join("\n")).toContain("nax unlock");
    const runs = JSON.parse((await runNax(project, ["runs", "--json"])).out);
    expect(runs.map((r: { runId: string; status: string }) => [r.runId, r.status])).toEqual([[firstRunId, "crashed"]]);
  });

  describe("the rerun", () => {
    beforeAll(async () => {
      rerun = await runNax(project, ["run", "-f", "demo"]);
    });

    test("replaces the stale lock with a warning and completes every story, exit 0", async () => {
      expect(rerun.code).toBe(0);
      expect(`${rerun.out}${rerun.err}`).toContain("stale lock");
      expect((await readPrd(project)).userStories.map((s) => s.status)).toEqual(["passed", "passed", "passed"]);
      expect(await exists(join(project.dir, "nax.lock"))).toBe(false);
    });

    test("never redoes a passed story: US-001 had exactly one agent session across both runs", async () => {
      const calls = await project.claudeCalls();
      expect(sessionsOf(calls, "US-001")).toHaveLength(1);
      expect(sessionsOf(calls, "US-002").map((c) => c.session)).toEqual(["two-fails", "two-interrupted", "two-done"]);
      expect(sessionsOf(calls, "US-003")).toHaveLength(1);
    });

    test("keeps the interrupted story's attempts and prior failure: its next attempt is the second, told what broke", async () => {
      const two = (await readPrd(project)).userStories[1];
      expect(two?.attempts).toBe(2);
      expect(two?.priorFailures).toHaveLength(1);
      const last = sessionsOf(await project.claudeCalls(), "US-002").at(-1);
      expect(last?.prompt).toContain("two broke");
    });

    test("keeps the killed agent's half-done worktree in an attempt ref, says so, and removes the worktree", async () => {
      const ref = "refs/nax/attempts/demo/US-002/2";
      expect(project.git(["show", `${ref}:src/two-draft.txt`])).toBe("half done\n");
      expect(`${rerun.out}${rerun.err}`).toContain(`its work is kept at ${ref}`);
      expect(project.git(["worktree", "list", "--porcelain"]).match(/^worktree /gm)).toHaveLength(1);
    });

    test("never commits the half-done work as a pass: US-002's commit holds the rerun's file, no commit holds the draft", async () => {
      const files = (sha: string) => project.git(["show", "--name-only", "--format=", sha]).trim().split("\n");
      const [two] = project.git(["log", "--format=%H", "--grep=Nax-Story: US-002"]).trim().split("\n");
      expect(files(two as string)).toContain("src/two.txt");
      expect(project.git(["log", "--format=%H", "--", "src/two-draft.txt"])).toBe("");
      expect(await exists(join(project.dir, "src/two-draft.txt"))).toBe(false);
      expect(project.git(["status", "--porcelain"])).toBe("");
    });
  });
});
