import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AnyNaxEvent } from "../../src/events/events";
import { type EventLine, EventLineSchema } from "../../src/state/event-line";
import { StatusFileSchema } from "../../src/state/status-file";
import { createTestProject, type TestProject } from "../helpers/project";

const CHECK_SH = `#!/bin/sh
for f in src/*.txt; do
  [ -e "$f" ] || continue
  grep -q ok "$f" || { echo "FAIL $f"; exit 1; }
done
`;

/**
 * US-001's first session leaves a broken file, so verify fails once and one
 * rectify round fixes it; US-002 passes at once. The events must match that
 * history exactly, once per occurrence, in the event log and in --json output.
 */
describe("every event is emitted exactly once per occurrence", () => {
  let project: TestProject;
  let code: number;
  let jsonl: AnyNaxEvent[];
  let log: EventLine[];

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "first" },
        { id: "US-002", title: "second", dependencies: ["US-001"] },
      ],
      files: { "check.sh": CHECK_SH },
      config: { quality: { commands: { test: "sh check.sh" } } },
      script: {
        sessions: [
          {
            name: "US-001 rectify",
            match: "/Task: US-001[\\s\\S]*Rectification round/",
            actions: [{ write: { path: "src/one.txt", content: "ok\n" } }],
          },
          { name: "US-001", match: "Task: US-001", actions: [{ write: { path: "src/one.txt", content: "bad\n" } }] },
          { name: "US-002", match: "Task: US-002", actions: [{ write: { path: "src/two.txt", content: "ok\n" } }] },
        ],
      },
    });
    const result = await project.nax(["run", "-f", "demo", "--json"]);
    code = result.code;
    jsonl = result.out
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as AnyNaxEvent);
    const runId = StatusFileSchema.parse(await project.readJson("nax/status.json")).run.id;
    const text = await readFile(join(project.dir, "nax/features/demo/runs", `${runId}.jsonl`), "utf8");
    log = text
      .trim()
      .split("\n")
      .map((line) => EventLineSchema.parse(JSON.parse(line)));
  });
  afterAll(async () => {
    await project.cleanup();
  });

  const count = (type: string, storyId?: string, stage?: string) =>
    jsonl.filter((e) => {
      const data = e.data as { storyId?: string; stage?: string };
      return (
        e.type === type &&
        (storyId === undefined || data.storyId === storyId) &&
        (stage === undefined || data.stage === stage)
      );
    }).length;

  test("the run passes and the JSONL output and the event log hold the same events, each sequence number once", () => {
    expect(code).toBe(0);
    expect(jsonl.map((e) => `${e.seq} ${e.type}`)).toEqual(log.map((l) => `${l.seq} ${l.type}`));
    expect(new Set(jsonl.map((e) => e.seq)).size).toBe(jsonl.length);
  });

  test("run events: one start, one completion, no crash", () => {
    expect([count("run:started"), count("run:completed"), count("run:crashed")]).toEqual([1, 1, 0]);
    expect(jsonl[0]?.type).toBe("run:started");
    expect(jsonl.at(-1)?.type).toBe("run:completed");
  });

  test("each story starts once per attempt and completes once", async () => {
    const prd = await project.readJson<{ userStories: { id: string; attempts: number }[] }>(
      "nax/features/demo/prd.json",
    );
    for (const story of prd.userStories) {
      expect(count("story:started", story.id)).toBe(story.attempts);
      expect(count("story:completed", story.id)).toBe(1);
      expect(count("story:failed", story.id) + count("story:escalated", story.id)).toBe(0);
    }
  });

  test("every stage that starts completes once, and verify ran twice for the story that needed a repair", () => {
    for (const storyId of ["US-001", "US-002"]) {
      const stages = new Set(
        jsonl.filter((e) => e.type === "stage:started").map((e) => (e.data as { stage: string }).stage),
      );
      for (const stage of stages) {
        expect({ storyId, stage, n: count("stage:completed", storyId, stage) }).toEqual({
          storyId,
          stage,
          n: count("stage:started", storyId, stage),
        });
      }
    }
    expect(count("stage:started", "US-001", "verify")).toBe(2);
    expect(count("verify:completed", "US-001")).toBe(2);
    expect(count("stage:started", "US-002", "verify")).toBe(1);
    expect(count("stage:started", "US-001", "completion")).toBe(1);
  });

  test("repair and agent session events pair up with what the agent actually ran", async () => {
    expect([count("rectify:started", "US-001"), count("rectify:completed", "US-001")]).toEqual([1, 1]);
    expect(count("rectify:started", "US-002")).toBe(0);
    const calls = await project.claudeCalls();
    expect(calls.map((c) => c.session)).toEqual(["US-001", "US-001 rectify", "US-002"]);
    expect(count("agent:session-started")).toBe(calls.length);
    expect(count("agent:session-completed")).toBe(calls.length);
  });
});
