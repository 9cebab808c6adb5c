import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { EventEnvelopeSchema } from "../../src/events/envelope";
import { jsonSchemaOf } from "../../src/state/json-schema";
import { StatusFileSchema } from "../../src/state/status-file";
import { checkJsonSchema } from "../helpers/json-schema-check";
import { createTestProject, type TestProject } from "../helpers/project";

const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));

/**
 * One real run (test-double agent, two stories) with a hook on every story
 * outcome and on the run's end: the event log, `nax run --json`, `nax logs
 * --json` and the hooks' stdin must all hold the same envelope, line for line.
 */
describe("one event envelope everywhere", () => {
  let project: TestProject;
  let runCode: number;
  let fromRun: Record<string, unknown>[];
  let fromFile: Record<string, unknown>[];
  let fromLogs: Record<string, unknown>[];
  let fromHooks: Record<string, unknown>[];
  let hookOut: string;
  let dryRun: { code: number; out: string };

  beforeAll(async () => {
    project = await createTestProject({
      stories: [
        { id: "US-001", title: "first" },
        { id: "US-002", title: "second", dependencies: ["US-001"] },
      ],
      config: { quality: { commands: { test: "true" } } },
      script: {
        sessions: [
          { name: "US-001", match: "Task: US-001", actions: [{ write: { path: "src/one.txt", content: "1\n" } }] },
          { name: "US-002", match: "Task: US-002", actions: [{ write: { path: "src/two.txt", content: "2\n" } }] },
        ],
      },
    });
    hookOut = join(project.dir, "..", "hook-stdin.jsonl");
    const hook = [{ command: ["sh", "-c", `cat >> '${hookOut}'`] }];
    await project.writeText(
      "nax/hooks.json",
      JSON.stringify({ hooks: { "on-start": hook, "on-story-complete": hook, "on-complete": hook } }),
    );
    project.git(["commit", "-qam", "hooks"]);
    dryRun = await project.nax(["run", "-f", "demo", "--dry-run", "--json"]);
    const run = await project.nax(["run", "-f", "demo", "--json"]);
    runCode = run.code;
    fromRun = jsonLines(run.out);
    const runId = StatusFileSchema.parse(await project.readJson("nax/status.json")).run.id;
    fromFile = jsonLines(await readFile(join(project.dir, "nax/features/demo/runs", `${runId}.jsonl`), "utf8"));
    const logs = await project.nax(["logs", "-f", "demo", "--json"]);
    expect(logs.code).toBe(0);
    fromLogs = jsonLines(logs.out);
    fromHooks = jsonLines(await readFile(hookOut, "utf8"));
  });
  afterAll(async () => {
    await project.cleanup();
  });

  test("the run passes and its event log holds envelope v1 lines that the event schemas accept", () => {
    expect(runCode).toBe(0);
    expect(fromFile.length).toBeGreaterThan(10);
    for (const line of fromFile) {
      expect(line.v).toBe(1);
      expect(EventEnvelopeSchema.safeParse(line).success).toBe(true);
    }
  });

  test("nax run --json prints exactly the event log's lines", () => {
    expect(fromRun).toEqual(fromFile);
  });

  test("nax logs --json prints exactly the event log's lines", () => {
    expect(fromLogs).toEqual(fromFile);
  });

  test("each hook's stdin is the event log's line for the event that fired it", () => {
    expect(fromHooks.map((e) => e.type)).toEqual([
      "run:started",
      "story:completed",
      "story:completed",
      "run:completed",
    ]);
    for (const event of fromHooks) expect([event]).toEqual(fromFile.filter((line) => line.seq === event.seq));
  });

  test("every line also passes the generated JSON Schema of `nax schema events`", () => {
    const schema = jsonSchemaOf("events");
    for (const line of fromFile)
      expect({ seq: line.seq, errors: checkJsonSchema(schema, line) }).toEqual({
        seq: line.seq,
        errors: [],
      });
  });

  test("--dry-run --json (before the run) printed the plan as one JSON document", () => {
    expect(dryRun.code).toBe(0);
    const plan = JSON.parse(dryRun.out);
    expect(plan).toMatchObject({
      kind: "dry-run",
      v: 1,
      feature: "demo",
      complete: false,
      order: ["US-001", "US-002"],
    });
    expect(plan.stories[1]).toMatchObject({ id: "US-002", status: "pending", tier: "fast", dependencies: ["US-001"] });
  });
});
