/**
 * Fault suite, parallel lanes: `bin/nax.ts` as a real process with
 * `--parallel 3`. SIGINT while three lanes' agents work stops every agent and
 * keeps every lane's work in its attempt ref; a `kill -9` with lanes at work,
 * then a rerun, loses nothing and redoes no passed story. Only the nax child
 * this test started is ever signalled; the agents' pids come from the fake's
 * invocation log and are only probed.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePrd } from "../../src/prd/load";
import type { Prd } from "../../src/prd/schema";
import type { FakeClaudeInvocation } from "../fakes/fake-claude-script";
import { waitUntilGone } from "../fakes/process-probe";
import { type NaxExit, runNax, startNax, until } from "../helpers/nax-process";
import { createTestProject, exists, type TestProject } from "../helpers/project";

// Real processes on a loaded 2-core machine: bun's 5 s default is too tight for a run and its rerun.
setDefaultTimeout(60_000);

const PRD = "nax/features/demo/prd.json";
const write = (path: string, content: string) => ({ write: { path, content } });

async function readPrd(project: TestProject): Promise<Prd> {
  return parsePrd(await Bun.file(join(project.dir, PRD)).text(), PRD);
}

function sessionsOf(calls: FakeClaudeInvocation[], storyId: string): FakeClaudeInvocation[] {
  return calls.filter((call) => call.prompt.includes(`# Task: ${storyId}`));
}

function worktreeCount(project: TestProject): number {
  return project.git(["worktree", "list", "--porcelain"]).match(/^worktree /gm)?.length ?? 0;
}

/** True once every story's session was invoked and wrote `file(id)` in its own worktree. */
async function allWrote(project: TestProject, ids: string[], file: (id: string) => string): Promise<boolean> {
  const calls = await project.claudeCalls();
  for (const id of ids) {
    const call = sessionsOf(calls, id).at(-1);
    if (!call || !(await exists(join(call.cwd, file(id))))) return false;
  }
  return true;
}

describe("SIGINT with three lanes at work", () => {
  const ids = ["US-001", "US-002", "US-003"];
  let project: TestProject;
  let exit: NaxExit;
  let agentPids: number[];

  beforeAll(async () => {
    project = await createTestProject({
      stories: ids.map((id) => ({ id, title: `story ${id}` })),
      config: { quality: { commands: { test: "true" } } },
      script: {
        sessions: ids.map((id) => ({
          match: `# Task: ${id}`,
          actions: [write(`src/${id}.txt`, `half of ${id}\n`), { hang: true as const }],
        })),
      },
    });
    const p = project;
    const nax = startNax(p, ["run", "-f", "demo", "--parallel", "3"]);
    await until(
      "all three lanes' agents to write their files",
      () => allWrote(p, ids, (id) => `src/${id}.txt`),
      30_000,
      20,
    );
    agentPids = (await p.claudeCalls()).map((c) => c.pid);
    nax.kill("SIGINT");
    exit = await nax.exited;
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("nax exits with code 130", () => {
    expect(exit.code).toBe(130);
  });

  test("no agent is left: every fake claude pid the invocation log names is gone", async () => {
    expect(agentPids).toHaveLength(3);
    expect(await waitUntilGone(agentPids, 5000)).toBe(true);
  });

  test("every lane's work is kept in its attempt ref, none of it in the checkout, and no worktree is left", async () => {
    for (const id of ids) {
      expect(project.git(["show", `refs/nax/attempts/demo/${id}/1:src/${id}.txt`])).toBe(`half of ${id}\n`);
      expect(await exists(join(project.dir, `src/${id}.txt`))).toBe(false);
    }
    expect(worktreeCount(project)).toBe(1);
    expect(await exists(join(project.dir, "nax.lock"))).toBe(false);
    expect((await readPrd(project)).userStories.map((s) => s.status)).toEqual(["pending", "pending", "pending"]);
  });
});

describe("kill -9 of nax with lanes at work, then a rerun", () => {
  const interrupted = ["US-002", "US-003", "US-004"];
  const release = join(tmpdir(), `nax-lanes-release-${process.pid}-${Date.now()}`);
  let project: TestProject;
  let rerun: NaxExit;
  let orphansGone: boolean;

  beforeAll(async () => {
    project = await createTestProject({
      stories: ["US-001", ...interrupted].map((id) => ({ id, title: `story ${id}` })),
      config: { quality: { commands: { test: "true" } } },
      script: {
        sessions: [
          { match: "# Task: US-001", actions: [write("src/US-001.txt", "one\n")] },
          ...interrupted.flatMap((id) => [
            {
              // Orphaned when nax is killed: it waits for the release file the test writes after the kill, then ends.
              name: `${id}-interrupted`,
              match: `# Task: ${id}`,
              times: 1,
              actions: [
                write(`src/${id}-draft.txt`, `draft of ${id}\n`),
                // Bounded (about 60 s) so that nothing of a failed test can poll forever.
                { run: `i=0; while [ ! -f '${release}' ] && [ $i -lt 3000 ]; do sleep 0.02; i=$((i+1)); done` },
              ],
            },
            { name: `${id}-done`, match: `# Task: ${id}`, actions: [write(`src/${id}.txt`, `${id}\n`)] },
          ]),
        ],
      },
    });
    const p = project;
    const first = startNax(p, ["run", "-f", "demo", "--parallel", "3"]);
    await until(
      "US-001 to pass and the three other lanes' agents to write their drafts",
      async () =>
        (await readPrd(p).catch(() => undefined))?.userStories[0]?.status === "passed" &&
        (await allWrote(p, interrupted, (id) => `src/${id}-draft.txt`)),
      30_000,
      20,
    );
    first.kill("SIGKILL");
    await first.exited;
    // The killed run's agents are orphans now; let them end before the rerun.
    const killedRunCalls = await p.claudeCalls();
    const orphans = interrupted.flatMap((id) => sessionsOf(killedRunCalls, id).map((c) => c.pid));
    await writeFile(release, "go\n");
    orphansGone = await waitUntilGone(orphans, 10_000);
    rerun = await runNax(p, ["run", "-f", "demo", "--parallel", "3"]);
  });
  afterAll(async () => {
    // Removed only now: the agents' own waiting commands (grandchildren of nax) may still be polling for it.
    await rm(release, { force: true });
    await project.cleanup();
  });

  test("the killed run's agents ended once released, before the rerun", () => {
    expect(orphansGone).toBe(true);
  });

  test("the rerun completes every story, exit 0, and leaves one worktree (the checkout)", async () => {
    expect(rerun.code).toBe(0);
    expect((await readPrd(project)).userStories.map((s) => s.status)).toEqual(["passed", "passed", "passed", "passed"]);
    expect(worktreeCount(project)).toBe(1);
    expect(project.git(["status", "--porcelain"])).toBe("");
  });

  test("no passed story is redone: US-001 had one implement session across both runs", async () => {
    const calls = await project.claudeCalls();
    expect(sessionsOf(calls, "US-001")).toHaveLength(1);
    for (const id of interrupted)
      expect(sessionsOf(calls, id).map((c) => c.session)).toEqual([`${id}-interrupted`, `${id}-done`]);
  });

  test("nothing is lost: every killed lane's draft is kept in its attempt ref", () => {
    for (const id of interrupted)
      expect(project.git(["show", `refs/nax/attempts/demo/${id}/1:src/${id}-draft.txt`])).toBe(`draft of ${id}\n`);
  });
});
