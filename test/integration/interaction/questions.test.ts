/**
 * Questions in a real run (the test-double agent, temp git repos): with
 * `--parallel 2`, US-001 spends its only tier and asks retry/skip/fail; while
 * it waits (`paused` with the question's id in `nax status`), US-002 on the
 * other lane is released and passes; then `nax answer <id> skip` skips US-001.
 * A second run answers nothing: the fallback is applied after the timeout and
 * the log and console say so.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StatusFile } from "../../../src/state/status-file";
import { type CliResult, createTestProject, type TestProject } from "../../helpers/project";
import { dataOf, readEvents, readStatus, readStories } from "../../helpers/read-run";
import { until } from "../../helpers/until";

const ONE_TIER = {
  autoMode: { escalation: { tierOrder: [{ tier: "fast", attempts: 1 }] } },
  execution: { rectification: { maxRetries: 0 } },
  quality: { commands: { test: "sh check.sh" } },
};
const CHECK = { "check.sh": 'if [ -f src/bad.txt ]; then echo "FAIL bad.txt"; exit 1; fi\n' };
const write = (path: string, content: string) => ({ write: { path, content } });

describe("a tiers-exhausted story asks while the other lane keeps running (--parallel 2)", () => {
  let project: TestProject;
  let gateDir: string;
  let result: CliResult;
  let waiting: StatusFile;
  let afterOtherLane: StatusFile;
  let statusOutput: CliResult;
  let answerOutput: CliResult;
  let wrongChoice: CliResult;

  beforeAll(async () => {
    gateDir = await mkdtemp(join(tmpdir(), "nax-ask-gate-"));
    const release = join(gateDir, "release");
    // Bounded (about 60 s): a failed test leaves nothing polling.
    const hold = { run: `i=0; while [ ! -f '${release}' ] && [ $i -lt 3000 ]; do sleep 0.02; i=$((i+1)); done` };
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "story that cannot pass" },
        { id: "US-002", title: "story on the other lane" },
      ],
      files: CHECK,
      config: { ...ONE_TIER, interaction: { timeoutSeconds: 120, triggers: { tiersExhausted: true } } },
      script: {
        sessions: [
          { match: "# Task: US-001", actions: [write("src/bad.txt", "broken\n")] },
          { match: "# Task: US-002", actions: [hold, write("src/US-002.txt", "ok\n")] },
        ],
      },
    });
    const p = project;
    const running = p.nax(["run", "-f", "demo", "--parallel", "2"]);
    await until(
      "a question waiting in nax/status.json",
      async () => ((await readStatus(p).catch(() => undefined))?.questions ?? []).length === 1,
      30_000,
      20,
    );
    waiting = await readStatus(p);
    await writeFile(release, "go\n");
    await until(
      "US-002 passed while the question still waits",
      async () => {
        const status = await readStatus(p);
        return status.progress.passed === 1;
      },
      30_000,
      20,
    );
    afterOtherLane = await readStatus(p);
    statusOutput = await p.nax(["status"]);
    const id = waiting.questions?.[0]?.id ?? "missing";
    wrongChoice = await p.nax(["answer", id, "maybe"]);
    answerOutput = await p.nax(["answer", id, "skip"]);
    result = await running;
  }, 90_000);
  afterAll(async () => {
    await project.cleanup();
    await rm(gateDir, { recursive: true, force: true });
  });

  test("the waiting question names its story, lane, choices and fallback, and the story's lane is paused with its id", () => {
    const question = waiting.questions?.[0];
    expect(question).toMatchObject({
      kind: "tiers-exhausted",
      storyId: "US-001",
      lane: 1,
      choices: ["retry", "skip", "fail"],
      fallback: "fail",
    });
    expect(question?.id).toMatch(/^q-[0-9a-f]+$/);
    const lane = waiting.lanes?.find((l) => l.storyId === "US-001");
    expect(lane).toMatchObject({ phase: "paused", questionId: question?.id });
  });

  test("the other lane finished its story while the question waited", () => {
    expect(afterOtherLane.questions?.map((q) => q.storyId)).toEqual(["US-001"]);
    expect(afterOtherLane.progress.passed).toBe(1);
  });

  test("nax status shows the question with its id and the story paused on it", () => {
    const id = waiting.questions?.[0]?.id ?? "missing";
    expect(statusOutput.code).toBe(0);
    expect(statusOutput.out).toContain(`story US-001 "story that cannot pass": paused on question ${id}`);
    expect(statusOutput.out).toContain(`question ${id} (story US-001, lane 1)`);
    expect(statusOutput.out).toContain(`nax answer ${id} <choice>`);
  });

  test("nax answer refuses a choice the question does not offer, naming the choices", () => {
    expect(wrongChoice.code).not.toBe(0);
    expect(wrongChoice.err).toContain("choose one of retry, skip, fail");
  });

  test("nax answer skip answers it: US-001 is skipped, US-002 passed, and the run completes", async () => {
    expect(answerOutput.code).toBe(0);
    const stories = await readStories(project);
    expect(stories["US-001"]?.status).toBe("skipped");
    expect(stories["US-002"]?.status).toBe("passed");
    expect(result.code).toBe(0);
  });

  test("the event log holds the question and its answer, through the answers file, and no fallback", async () => {
    const events = await readEvents(project);
    const id = waiting.questions?.[0]?.id;
    expect(dataOf(events, "interaction:asked")).toHaveLength(1);
    expect(dataOf(events, "interaction:answered")).toEqual([
      expect.objectContaining({ questionId: id, choice: "skip", channel: "answer-file", storyId: "US-001", lane: 1 }),
    ]);
    expect(dataOf(events, "interaction:fallback")).toEqual([]);
    expect(dataOf(events, "story:failed")).toEqual([]);
  });
});

describe("a question no one answers in time", () => {
  let project: TestProject;
  let result: CliResult;

  beforeAll(async () => {
    project = await createTestProject({
      stories: [{ id: "US-001", title: "story that cannot pass" }],
      files: CHECK,
      config: { ...ONE_TIER, interaction: { timeoutSeconds: 0.3, triggers: { tiersExhausted: true } } },
      script: { sessions: [{ match: "# Task: US-001", actions: [write("src/bad.txt", "broken\n")] }] },
    });
    result = await project.nax(["run", "-f", "demo"]);
  }, 60_000);
  afterAll(() => project.cleanup());

  test("the declared fallback (fail) is applied: the story fails and the run fails", async () => {
    expect(result.code).toBe(1);
    expect((await readStories(project))["US-001"]?.status).toBe("failed");
  });

  test("the fallback is logged as interaction:fallback with its reason, and the console says so", async () => {
    const events = await readEvents(project);
    const asked = dataOf(events, "interaction:asked");
    expect(asked).toHaveLength(1);
    expect(dataOf(events, "interaction:fallback")).toEqual([
      expect.objectContaining({ questionId: asked[0]?.questionId, choice: "fail", storyId: "US-001" }),
    ]);
    expect(String(dataOf(events, "interaction:fallback")[0]?.reason)).toContain("no answer in");
    expect(dataOf(events, "interaction:answered")).toEqual([]);
    expect(result.out + result.err).toContain(`the fallback "fail" was applied`);
  });

  test("no question is left waiting in the status file once the run ended", async () => {
    expect((await readStatus(project)).questions).toEqual([]);
  });
});
