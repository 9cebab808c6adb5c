/**
 * Control commands against `bin/nax.ts` as a real process: `nax pause` with
 * two lanes holds every lane's next agent session until `nax resume`; `nax
 * skip` sent twice with one id is applied once, even across a SIGKILL
 * between the run reading it and applying it; `nax abort` stops the run like
 * Ctrl-C. Sessions wait on a gate file the test creates (bounded loops), so
 * nothing depends on timing. Only the nax child this test started is signalled.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { StoredEventLineSchema } from "../../src/state/event-line";
import type { FakeClaudeInvocation } from "../fakes/fake-claude-script";
import { type NaxExit, runNax, startNax, until } from "../helpers/nax-process";
import { createTestProject, type TestProject } from "../helpers/project";

setDefaultTimeout(90_000);

interface Line {
  type: string;
  seq: number;
  runId: string;
  data: Record<string, unknown>;
}

/** Every event of every run of the feature, run by run in file order. */
async function allEvents(project: TestProject): Promise<Line[]> {
  const dir = join(project.dir, "nax/features/demo/runs");
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.startsWith("run-")).sort();
  const lines: Line[] = [];
  for (const file of files) {
    const text = await readFile(join(dir, file), "utf8");
    for (const raw of text.split("\n")) {
      if (!raw.trim()) continue;
      lines.push(StoredEventLineSchema.parse(JSON.parse(raw)) as unknown as Line);
    }
  }
  return lines;
}

/** A session that waits (at most 40 s) for `gate` to exist in the main checkout, then writes its own file. */
function gatedSession(id: string, gate: string, times?: number) {
  const root = "$(git rev-parse --git-common-dir)/..";
  return {
    match: `# Task: ${id}`,
    ...(times === undefined ? {} : { times }),
    actions: [
      { run: `for i in $(seq 1 400); do [ -f "${root}/${gate}" ] && break; sleep 0.1; done` },
      { append: { path: `src/${id}.txt`, content: `${id}\n` } },
    ],
  };
}

const plain = (id: string) => ({
  match: `# Task: ${id}`,
  actions: [{ append: { path: `src/${id}.txt`, content: `${id}\n` } }],
});
const sessionsOf = (calls: FakeClaudeInvocation[], id: string) =>
  calls.filter((c) => c.prompt.includes(`# Task: ${id}`));

describe("nax pause with two lanes, then nax resume", () => {
  const ids = ["US-001", "US-002", "US-003", "US-004"];
  let project: TestProject;
  let exit: NaxExit;
  let events: Line[];

  beforeAll(async () => {
    project = await createTestProject({
      stories: ids.map((id) => ({ id, title: `story ${id}` })),
      config: { quality: { commands: { test: "true" } } },
      script: {
        sessions: [gatedSession("US-001", "go"), gatedSession("US-002", "go"), plain("US-003"), plain("US-004")],
      },
    });
    const p = project;
    const nax = startNax(p, ["run", "-f", "demo", "--parallel", "2"]);
    await until("both lanes' first sessions to start", async () => (await p.claudeCalls()).length === 2, 30_000, 20);
    const paused = await runNax(p, ["pause", "-f", "demo", "--id", "pause-1"]);
    expect(paused.code).toBe(0);
    const applied = (id: string) => async () =>
      (await allEvents(p)).some((e) => e.type === "command:applied" && e.data.id === id);
    await until("the pause to be applied", applied("pause-1"), 30_000, 20);
    await writeFile(join(p.dir, "go"), "");
    await until(
      "both running stories to pass",
      async () => (await allEvents(p)).filter((e) => e.type === "story:completed").length === 2,
      30_000,
      20,
    );
    // Proof the paused run went on polling (and so had every chance to start a session) after both lanes freed.
    await runNax(p, ["pause", "--id", "pause-2"]);
    await until("the second pause to be acknowledged", applied("pause-2"), 30_000, 20);
    expect(await p.claudeCalls()).toHaveLength(2);
    expect((await runNax(p, ["resume", "--id", "resume-1"])).code).toBe(0);
    exit = await nax.exited;
    events = await allEvents(p);
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("the run completes every story after the resume, exit 0", async () => {
    expect(exit.code).toBe(0);
    const prd = await project.readJson<{ userStories: { status: string }[] }>("nax/features/demo/prd.json");
    expect(prd.userStories.map((s) => s.status)).toEqual(["passed", "passed", "passed", "passed"]);
  });

  test("no agent session started between the pause being applied and the resume being applied", () => {
    const seqOf = (id: string) => events.find((e) => e.type === "command:applied" && e.data.id === id)?.seq ?? -1;
    const [pause, resume] = [seqOf("pause-1"), seqOf("resume-1")];
    expect(pause).toBeGreaterThan(0);
    expect(resume).toBeGreaterThan(pause);
    const starts = events.filter((e) => e.type === "agent:session-started").map((e) => e.seq);
    expect(starts.filter((seq) => seq > pause && seq < resume)).toEqual([]);
    expect(starts.filter((seq) => seq > resume)).toHaveLength(2);
  });

  test("each command is acknowledged once, the second pause as ignored, with run:paused and run:resumed", () => {
    const acks = events.filter((e) => e.type === "command:applied").map((e) => [e.data.id, e.data.outcome]);
    expect(acks).toEqual([
      ["pause-1", "applied"],
      ["pause-2", "ignored"],
      ["resume-1", "applied"],
    ]);
    expect(events.filter((e) => e.type === "run:paused")).toHaveLength(1);
    expect(events.filter((e) => e.type === "run:resumed")).toHaveLength(1);
  });
});

describe("nax skip sent twice with one id, and a SIGKILL between reading and applying it", () => {
  let project: TestProject;
  let statusWhileKilled: { pendingCommands: { id: string }[] };
  let rerun: NaxExit;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "one" },
        { id: "US-002", title: "two", dependencies: ["US-001"] },
        { id: "US-003", title: "three", dependencies: ["US-001"] },
      ],
      config: { quality: { commands: { test: "true" } } },
      // The first US-001 session never passes the gate before the kill; the rerun's passes at once.
      script: { sessions: [gatedSession("US-001", "never", 1), plain("US-001"), plain("US-002"), plain("US-003")] },
    });
    const p = project;
    const nax = startNax(p, ["run", "-f", "demo"]);
    await until("US-001's session to start", async () => (await p.claudeCalls()).length === 1, 30_000, 20);
    for (let i = 0; i < 2; i++) expect((await runNax(p, ["skip", "US-002", "--id", "skip-1"])).code).toBe(0);
    // One lane, busy with US-001: the run reads the command now but reaches no safe point before the kill.
    await until(
      "the run to read the skip",
      async () => (await allEvents(p)).some((e) => e.type === "command:received" && e.data.id === "skip-1"),
      30_000,
      20,
    );
    nax.kill("SIGKILL");
    await nax.exited;
    statusWhileKilled = JSON.parse((await runNax(p, ["status", "--json"])).out);
    rerun = await runNax(p, ["run", "-f", "demo"]);
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("the command file holds both lines; nax status lists the command once as pending after the kill", async () => {
    const lines = (await readFile(join(project.dir, "nax/features/demo/runs/control/commands.jsonl"), "utf8"))
      .trim()
      .split("\n");
    expect(lines).toHaveLength(2);
    expect(statusWhileKilled.pendingCommands.map((c) => c.id)).toEqual(["skip-1"]);
  });

  test("the resumed run applies it once: US-002 skipped without a session, the others passed", async () => {
    expect(rerun.code).toBe(0);
    const prd = await project.readJson<{ userStories: { id: string; status: string }[] }>("nax/features/demo/prd.json");
    expect(prd.userStories.map((s) => [s.id, s.status])).toEqual([
      ["US-001", "passed"],
      ["US-002", "skipped"],
      ["US-003", "passed"],
    ]);
    expect(sessionsOf(await project.claudeCalls(), "US-002")).toEqual([]);
    const acks = (await allEvents(project)).filter((e) => e.type === "command:applied");
    expect(acks.map((e) => [e.data.id, e.data.outcome])).toEqual([["skip-1", "applied"]]);
    const ledger = await project.readJson<{ applied: { id: string }[] }>("nax/features/demo/runs/control/applied.json");
    expect(ledger.applied.map((a) => a.id)).toEqual(["skip-1"]);
    const status = JSON.parse((await runNax(project, ["status", "--json"])).out);
    expect(status.pendingCommands).toEqual([]);
  });
});

describe("nax abort", () => {
  let project: TestProject;
  let exit: NaxExit;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "one" }],
      config: { quality: { commands: { test: "true" } } },
      script: { sessions: [{ match: "# Task: US-001", actions: [{ hang: true as const }] }] },
    });
    const p = project;
    const nax = startNax(p, ["run", "-f", "demo"]);
    await until("US-001's session to start", async () => (await p.claudeCalls()).length === 1, 30_000, 20);
    expect((await runNax(p, ["abort"])).code).toBe(0);
    exit = await nax.exited;
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("stops the run as Ctrl-C does: exit 130, run:crashed naming nax abort, the story back to pending", async () => {
    expect(exit.code).toBe(130);
    const events = await allEvents(project);
    const crashed = events.find((e) => e.type === "run:crashed");
    expect(String(crashed?.data.error)).toContain("nax abort");
    expect(events.filter((e) => e.type === "command:applied").map((e) => e.data.outcome)).toEqual(["applied"]);
    const prd = await project.readJson<{ userStories: { status: string }[] }>("nax/features/demo/prd.json");
    expect(prd.userStories[0]?.status).toBe("pending");
  });

  test("with no run going, nax abort refuses with exit 2 and says how to start one", async () => {
    const refused = await runNax(project, ["abort"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("nax run -f");
  });
});

describe("nax pause --now, then nax resume", () => {
  let project: TestProject;
  let exit: NaxExit;
  let events: Line[];

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "one" }],
      config: { quality: { commands: { test: "true" } } },
      script: {
        sessions: [
          {
            match: "# Task: US-001",
            times: 1,
            actions: [{ append: { path: "src/draft.txt", content: "draft\n" } }, { hang: true as const }],
          },
          plain("US-001"),
        ],
      },
    });
    const p = project;
    const nax = startNax(p, ["run", "-f", "demo"]);
    await until("US-001's first session to start", async () => (await p.claudeCalls()).length === 1, 30_000, 20);
    expect((await runNax(p, ["pause", "--now", "--id", "now-1"])).code).toBe(0);
    await until(
      "the stopped session to end",
      async () => (await allEvents(p)).some((e) => e.type === "agent:session-completed"),
      30_000,
      20,
    );
    await runNax(p, ["pause", "--id", "probe"]);
    await until(
      "the probe to be acknowledged",
      async () => (await allEvents(p)).some((e) => e.type === "command:applied" && e.data.id === "probe"),
      30_000,
      20,
    );
    expect(await p.claudeCalls()).toHaveLength(1);
    await runNax(p, ["resume", "--id", "go"]);
    exit = await nax.exited;
    events = await allEvents(p);
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("stops the running session at once without ending the run; after the resume the story runs again and passes", async () => {
    expect(exit.code).toBe(0);
    expect(events.find((e) => e.type === "agent:session-completed")?.data.outcome).toBe("aborted");
    expect(events.filter((e) => e.type === "run:crashed")).toEqual([]);
    const prd = await project.readJson<{ userStories: { status: string; attempts: number }[] }>(
      "nax/features/demo/prd.json",
    );
    expect(prd.userStories[0]?.status).toBe("passed");
    expect(await project.claudeCalls()).toHaveLength(2);
  });
});
