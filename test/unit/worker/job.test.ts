import { describe, expect, test } from "bun:test";
import { isNaxError } from "../../../src/errors";
import { jsonSchemaOf } from "../../../src/state/json-schema";
import { parseWorkerJob } from "../../../src/worker/job";
import { checkJsonSchema } from "../../helpers/json-schema-check";

const JOB = {
  v: 1,
  repository: "https://example.com/project.git",
  baseCommit: "0123456789abcdef0123456789abcdef01234567",
  feature: "demo",
  storyId: "US-001",
  config: { quality: { commands: { test: "bun test" } } },
  budget: { maxCostUsd: 2 },
  deadline: "2026-03-07T07:00:00Z",
  credentials: ["ANTHROPIC_API_KEY"],
  pushTo: { branch: "nax-worker/demo/US-001" },
};

function refusal(job: unknown): string {
  try {
    parseWorkerJob(JSON.stringify(job), "job.json");
  } catch (error) {
    if (isNaxError(error, "JOB_INVALID")) return error.message;
    throw error;
  }
  throw new Error("the job was accepted");
}

describe("the worker job", () => {
  test("a complete job parses, with the push remote, heartbeat and config defaults filled in", () => {
    const job = parseWorkerJob(JSON.stringify(JOB), "job.json");
    expect(job.pushTo).toEqual({ remote: "origin", branch: "nax-worker/demo/US-001" });
    expect(job.heartbeatSeconds).toBe(30);
    expect(job.config.quality.commands.test).toBe("bun test");
    expect(job.config.execution.parallel).toBeGreaterThanOrEqual(1);
  });

  test("a credential given as a value instead of a name is refused, naming the entry and the fix", () => {
    const message = refusal({ ...JOB, credentials: ["sk-ant-api03-secretvalue"] });
    expect(message).toContain("job.json: credentials[0]: the NAME of an environment variable");
    // The refusal never repeats what looked like a secret.
    expect(message).not.toContain("sk-ant-api03-secretvalue");
  });

  test("every bad field is named with what to put there, and an unknown key gets a did-you-mean", () => {
    const message = refusal({ ...JOB, baseCommit: "main", deadline: "tomorrow", budgt: 1 });
    expect(message).toContain("baseCommit: the full commit id (40 lowercase hex digits)");
    expect(message).toContain("deadline: an ISO 8601 time with a zone");
    expect(message).toContain('"budgt" (did you mean "budget"?)');
  });

  test("a config key the config schema does not know is refused with its path inside the job", () => {
    expect(refusal({ ...JOB, config: { execution: { maxIteration: 3 } } })).toContain("config.execution");
  });

  test("text that is not JSON, and a story whose id is not storyId, are refused", () => {
    expect(() => parseWorkerJob("{", "stdin")).toThrow("stdin: not valid JSON");
    expect(refusal({ ...JOB, story: { id: "US-002", title: "other" } })).toContain(
      'story.id: "US-002" is not storyId "US-001"',
    );
  });

  test("the JSON Schema of the job (nax schema job) accepts the job and rejects one without a base commit", () => {
    const schema = jsonSchemaOf("job");
    expect(checkJsonSchema(schema, JOB)).toEqual([]);
    const { baseCommit: _dropped, ...missing } = JOB;
    expect(checkJsonSchema(schema, missing)).toEqual(["$: missing baseCommit"]);
  });
});
